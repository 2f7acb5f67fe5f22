/**
 * POST /sync: a device's queued changes, applied one by one through the single-item services (the
 * same validation, ownership and date rules, the same change feed), each alone: one bad change does
 * not undo the others. Ownership comes first, so another user's item is `rejected` as its route
 * answers, never a `conflict` that would show it. With `baseVersion`, a change applies only to that
 * version, checked by the write's own statement; anything else is a `conflict` with the server's copy.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import type { FastifySchemaValidationError } from 'fastify';
import fp from 'fastify-plugin';
import { createValidatorCompiler } from '../http/ajv.js';
import type { StoredCheckin } from '../repositories/checkins.repository.js';
import type { HabitGoal } from '../generated/prisma/client.js';
import type { Precondition } from '../repositories/writes.js';
import { CheckinParams, PutCheckinBody } from '../schemas/checkin.schema.js';
import { IdParams } from '../schemas/common.schema.js';
import { PutGoalBody } from '../schemas/goal.schema.js';
import { CreateHabitBody, UpdateHabitBody } from '../schemas/habit.schema.js';
import type { SyncChange } from '../schemas/sync.schema.js';
import { AppError, BadRequestError, ConflictError, NotFoundError } from '../utils/errors.js';
import { CHECKIN_NOT_FOUND, type CheckinService } from './checkin.service.js';
import { GOAL_NOT_FOUND, type GoalService } from './goal.service.js';
import { HABIT_NOT_FOUND, type HabitService } from './habit.service.js';
import type { HabitsRepository, StoredHabit } from '../repositories/habits.repository.js';
import type { GoalsRepository } from '../repositories/goals.repository.js';
import type { CheckinsRepository } from '../repositories/checkins.repository.js';

type Item = StoredHabit | HabitGoal | StoredCheckin;

export type SyncResult =
  | { status: 'applied'; version?: number }
  | { status: 'conflict'; current: Item | null }
  | { status: 'rejected'; error: { statusCode: number; message: string } };

/** One change's item: how to read it (the caller's, or null) and write it. */
interface Target {
  read(): Promise<Item | null>;
  upsert(data: unknown, expected: Precondition | undefined, current: Item | null): Promise<Item>;
  remove(expected: Precondition | undefined): Promise<void>;
}

type Validate = ((data: unknown) => boolean) & { errors?: FastifySchemaValidationError[] | null };

const compile = createValidatorCompiler();

/** The app's own validators, so a change is refused with the words its route would use. */
function validatorFor<S extends TSchema>(httpPart: 'body' | 'params', schema: S) {
  const validate = compile({ schema, httpPart, method: 'POST', url: '/sync' }) as Validate;
  return (value: unknown): Static<S> => {
    if (!validate(value)) {
      throw new BadRequestError((validate.errors ?? []).map((error) => `${httpPart}${error.instancePath} ${error.message}`).join(', '));
    }
    return value;
  };
}

const valid = {
  idParams: validatorFor('params', IdParams),
  checkinParams: validatorFor('params', CheckinParams),
  createHabit: validatorFor('body', CreateHabitBody),
  updateHabit: validatorFor('body', UpdateHabitBody),
  putGoal: validatorFor('body', PutGoalBody),
  putCheckin: validatorFor('body', PutCheckinBody),
};

export class SyncPushService {
  constructor(
    private readonly habitService: HabitService,
    private readonly goalService: GoalService,
    private readonly checkinService: CheckinService,
    private readonly habits: HabitsRepository,
    private readonly goals: GoalsRepository,
    private readonly checkins: CheckinsRepository,
  ) {}

  /** One result per change, in order. A failure that is not the change's fault (the database down) fails the request. */
  async push(userId: string, changes: SyncChange[]): Promise<SyncResult[]> {
    const results: SyncResult[] = [];
    for (const change of changes) results.push(await this.apply(userId, change));
    return results;
  }

  private async apply(userId: string, change: SyncChange): Promise<SyncResult> {
    const expected = change.baseVersion === undefined ? undefined : [{ version: change.baseVersion }];
    try {
      const target = await this.target(userId, change);
      const current = await target.read();
      if (expected && current?.version !== change.baseVersion) return { status: 'conflict', current };
      try {
        if (change.op === 'delete') {
          await target.remove(expected);
          return { status: 'applied' };
        }
        return {
          status: 'applied',
          version: (await target.upsert(change.data === undefined ? {} : change.data, expected, current)).version,
        };
      } catch (error) {
        // Changed or deleted since it was read: the write's own check refused it.
        if (expected && error instanceof AppError && (error.statusCode === 412 || error.statusCode === 404)) {
          return { status: 'conflict', current: await target.read() };
        }
        throw error;
      }
    } catch (error) {
      if (error instanceof AppError) return { status: 'rejected', error: { statusCode: error.statusCode, message: error.message } };
      throw error;
    }
  }

  /** The change's item, after its address is valid and the caller may reach it (else the route's 400/404/409). */
  private async target(userId: string, change: SyncChange): Promise<Target> {
    if (change.type === 'habit') {
      const { id } = valid.idParams({ id: change.id });
      const read = () => this.habits.findOwned(userId, id);
      // Without baseVersion the write itself answers for another user's id; with it, an absent
      // habit would be a conflict, so say first what its route would say.
      if (change.baseVersion !== undefined && !(await read()) && (await this.habits.findByIdOfAnyOwner(id))) {
        throw change.op === 'delete' ? new NotFoundError(HABIT_NOT_FOUND) : new ConflictError('Id already in use');
      }
      return {
        read,
        upsert: async (data, expected, current) =>
          current
            ? this.habitService.update(userId, id, valid.updateHabit(data), expected)
            : (await this.habitService.create(userId, { ...valid.createHabit(data), id })).habit,
        remove: (expected) => this.habitService.delete(userId, id, expected),
      };
    }
    if (change.type === 'goal') {
      const { id: habitId } = valid.idParams({ id: change.habitId });
      await this.requireHabit(userId, habitId, change.op === 'delete' ? GOAL_NOT_FOUND : HABIT_NOT_FOUND);
      return {
        read: () => this.goals.find(userId, habitId),
        upsert: async (data, expected) => (await this.goalService.put(userId, habitId, valid.putGoal(data), expected)).goal,
        remove: (expected) => this.goalService.delete(userId, habitId, expected),
      };
    }
    const { id: habitId, date } = valid.checkinParams({ id: change.habitId, date: change.date });
    await this.requireHabit(userId, habitId, change.op === 'delete' ? CHECKIN_NOT_FOUND : HABIT_NOT_FOUND);
    return {
      read: () => this.checkins.find(userId, habitId, date),
      upsert: async (data, expected) => (await this.checkinService.put(userId, habitId, date, valid.putCheckin(data), expected)).checkin,
      remove: (expected) => this.checkinService.delete(userId, habitId, date, expected),
    };
  }

  /** The 404 of the item's route when the habit is not the caller's (a DELETE of a goal or check-in names that item). */
  private async requireHabit(userId: string, habitId: string, message: string): Promise<void> {
    if (!(await this.habits.findOwned(userId, habitId, { id: true }))) throw new NotFoundError(message);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    syncPushService: SyncPushService;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate(
      'syncPushService',
      new SyncPushService(
        fastify.habitService,
        fastify.goalService,
        fastify.checkinService,
        fastify.habitsRepository,
        fastify.goalsRepository,
        fastify.checkinsRepository,
      ),
    );
  },
  {
    name: 'sync-push-service',
    dependencies: ['habit-service', 'goal-service', 'checkin-service', 'habits-repository', 'goals-repository', 'checkins-repository'],
  },
);
