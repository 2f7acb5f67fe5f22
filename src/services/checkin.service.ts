/**
 * Check-ins: one per habit and calendar day, between 2000-01-01 and the owner's local today + 1 day
 * (so a traveller a day ahead of the server can still check in). Scoped to the habit's owner.
 */
import fp from 'fastify-plugin';
import type { CheckinsRepository, PutCheckin, StoredCheckin } from '../repositories/checkins.repository.js';
import type { HabitsRepository } from '../repositories/habits.repository.js';
import type { CheckinRangeQuery, PutCheckinBody } from '../schemas/checkin.schema.js';
import { addDays, toDayNumber } from '../utils/dates.js';
import { userToday, type UserClock } from '../utils/user-day.js';
import type { Precondition } from '../repositories/writes.js';
import { AppError, NotFoundError, PreconditionFailedError } from '../utils/errors.js';
import { HABIT_NOT_FOUND } from './habit.service.js';

const EARLIEST_CHECKIN_DATE = '2000-01-01';
export const CHECKIN_NOT_FOUND = 'Check-in not found';
const MAX_RANGE_DAYS = 366;
const DEFAULT_RANGE_DAYS = 30;

export class CheckinService {
  constructor(
    private readonly habits: HabitsRepository,
    private readonly checkins: CheckinsRepository,
  ) {}

  /**
   * Creates or replaces the check-in of `date` (idempotent); `created` tells which. With `expected`
   * (If-Match, a sync change's baseVersion) it only replaces a check-in in that state: anything else
   * (none yet included) is a 412.
   */
  async put(userId: string, habitId: string, date: string, input: PutCheckinBody, expected?: Precondition): Promise<PutCheckin> {
    const data = { status: input.status ?? 'done', value: input.value ?? 1, note: input.note ?? null } as const;
    const now = new Date();
    if (expected === undefined) {
      // The common case in one statement: the owner and the date's bounds are checked by the write.
      const written = await this.checkins.putOwned(userId, habitId, date, data, {
        now,
        earliest: EARLIEST_CHECKIN_DATE,
        latestChecked: false,
      });
      if (written) return written;
    }
    // Refused, or If-Match: find out why here, with the rules' own words.
    checkCheckinDate(checkinDays(await this.owner(userId, habitId), now), date);
    const written =
      expected === undefined
        ? // The database's time zone data saw the day as too late, this module's (which decides) did not.
          await this.checkins.putOwned(userId, habitId, date, data, { now, earliest: EARLIEST_CHECKIN_DATE, latestChecked: true })
        : await this.checkins.replaceIfMatches(habitId, date, data, expected);
    if (written) return written;
    // Without If-Match: the habit was deleted in between.
    throw expected === undefined ? new NotFoundError(HABIT_NOT_FOUND) : new PreconditionFailedError();
  }

  /** Check-ins from `from` to `to` inclusive (default: the owner's last 30 days), by date. */
  async list(userId: string, habitId: string, range: CheckinRangeQuery) {
    const clock = await this.owner(userId, habitId);
    const to = range.to ?? (range.from ? addDays(range.from, DEFAULT_RANGE_DAYS - 1) : userToday(clock));
    const from = range.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
    if (from > to) throw new AppError(400, '`from` must not be after `to`');
    if (toDayNumber(to) - toDayNumber(from) + 1 > MAX_RANGE_DAYS) {
      throw new AppError(400, `A range covers at most ${MAX_RANGE_DAYS} days`);
    }
    return this.checkins.list(habitId, from, to);
  }

  /** The check-in of `date`; 404 when the habit is not the user's or has none that day. */
  async get(userId: string, habitId: string, date: string): Promise<StoredCheckin> {
    const checkin = await this.checkins.find(userId, habitId, date);
    if (!checkin) throw new NotFoundError(CHECKIN_NOT_FOUND);
    return checkin;
  }

  /** With `expected`, only a check-in in that state: 412 when the check-in is in another. */
  async delete(userId: string, habitId: string, date: string, expected?: Precondition): Promise<void> {
    if (await this.checkins.delete(userId, habitId, date, expected)) return;
    const exists = expected !== undefined && (await this.checkins.find(userId, habitId, date)) !== null;
    throw exists ? new PreconditionFailedError() : new NotFoundError(CHECKIN_NOT_FOUND);
  }

  /** What decides the owner's day, or 404 when the habit is not theirs. */
  private async owner(userId: string, habitId: string) {
    const habit = await this.habits.findOwned(userId, habitId, { user: { select: { timezone: true, dayStartHour: true } } });
    if (!habit) throw new NotFoundError(HABIT_NOT_FOUND);
    return habit.user;
  }
}

/** The days a check-in may have: from 2000-01-01 to the user's today + 1 day. */
export interface CheckinDays {
  earliest: string;
  latest: string;
  timezone: string;
}

export function checkinDays(clock: UserClock, now: Date = new Date()): CheckinDays {
  return { earliest: EARLIEST_CHECKIN_DATE, latest: addDays(userToday(clock, now), 1), timezone: clock.timezone };
}

/** A 400 AppError unless `date` is one of `days` (PUT check-in, POST /import). */
export function checkCheckinDate({ earliest, latest, timezone }: CheckinDays, date: string): void {
  if (date < earliest || date > latest) {
    throw new AppError(400, `date must be between ${earliest} and ${latest} (your today + 1 day in ${timezone})`);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    checkinService: CheckinService;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('checkinService', new CheckinService(fastify.habitsRepository, fastify.checkinsRepository));
  },
  { name: 'checkin-service', dependencies: ['habits-repository', 'checkins-repository'] },
);
