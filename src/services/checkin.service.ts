/**
 * Check-ins: one per habit and calendar day, between 2000-01-01 and the owner's local today + 1 day
 * (so a traveller a day ahead of the server can still check in). Scoped to the habit's owner.
 */
import { isUniqueViolation } from '../db/errors.js';
import type { Prisma, PrismaClient } from '../db/client.js';
import type { PutTrackingBody } from '../schemas/checkin.schema.js';
import { addDays, formatDay, parseDay, toDayNumber, todayIn } from '../utils/dates.js';
import { AppError, NotFoundError } from '../utils/errors.js';
import { HABIT_NOT_FOUND } from './habit.service.js';

const EARLIEST_CHECKIN_DATE = '2000-01-01';
const MAX_RANGE_DAYS = 366;
const DEFAULT_RANGE_DAYS = 30;

type TrackingRow = Prisma.HabitTrackingGetPayload<object>;

/** A check-in as the API returns it: the day as `YYYY-MM-DD`. */
export function toCheckin(row: TrackingRow) {
  return { ...row, date: formatDay(row.date) };
}

export class TrackingService {
  constructor(private readonly prisma: PrismaClient) {}

  /** Creates or replaces the check-in of `date` (idempotent); `created` tells which. */
  async put(userId: string, habitId: string, date: string, input: PutTrackingBody) {
    const owner = await this.requireHabit(userId, habitId);
    const latest = addDays(todayIn(owner.timezone), 1);
    if (date < EARLIEST_CHECKIN_DATE || date > latest) {
      throw new AppError(400, `date must be between ${EARLIEST_CHECKIN_DATE} and ${latest} (your today + 1 day in ${owner.timezone})`);
    }
    const data = { status: input.status ?? 'done', value: input.value ?? 1, note: input.note ?? null };
    const key = { habitId, date: parseDay(date) };
    try {
      return { checkin: toCheckin(await this.prisma.habitTracking.create({ data: { ...key, ...data } })), created: true };
    } catch (error) {
      // Already checked in that day (perhaps concurrently): replace it.
      if (!isUniqueViolation(error)) throw error;
      const replaced = await this.prisma.habitTracking.update({ where: { habitId_date: key }, data });
      return { checkin: toCheckin(replaced), created: false };
    }
  }

  /** Check-ins from `from` to `to` inclusive (default: the owner's last 30 days), by date. */
  async list(userId: string, habitId: string, range: { from?: string | undefined; to?: string | undefined }) {
    const owner = await this.requireHabit(userId, habitId);
    const to = range.to ?? (range.from ? addDays(range.from, DEFAULT_RANGE_DAYS - 1) : todayIn(owner.timezone));
    const from = range.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
    if (from > to) throw new AppError(400, '`from` must not be after `to`');
    if (toDayNumber(to) - toDayNumber(from) + 1 > MAX_RANGE_DAYS) {
      throw new AppError(400, `A range covers at most ${MAX_RANGE_DAYS} days`);
    }
    const rows = await this.prisma.habitTracking.findMany({
      where: { habitId, date: { gte: parseDay(from), lte: parseDay(to) } },
      orderBy: { date: 'asc' },
    });
    return rows.map(toCheckin);
  }

  async delete(userId: string, habitId: string, date: string): Promise<void> {
    const { count } = await this.prisma.habitTracking.deleteMany({ where: { habitId, date: parseDay(date), habit: { userId } } });
    if (count === 0) throw new NotFoundError('Check-in not found');
  }

  /** The habit's owner (for their time zone), or 404 when the habit is not theirs. */
  private async requireHabit(userId: string, habitId: string) {
    const habit = await this.prisma.habit.findFirst({ where: { id: habitId, userId }, select: { user: { select: { timezone: true } } } });
    if (!habit) throw new NotFoundError(HABIT_NOT_FOUND);
    return habit.user;
  }
}
