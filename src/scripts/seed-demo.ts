/**
 * `npm run db:seed`: creates the demo account (demo@example.com, a published password) with five
 * habits, their goals and 90 days of check-ins ending today, so /today, the statistics and the
 * export show real data. Against DATABASE_URL, or the embedded database when it is unset.
 *
 * Running it again replaces the demo account (and everything it owns, its sessions too) and nothing
 * else. The check-ins are pseudo-random from a fixed seed: every run writes the same pattern,
 * counted back from today. Habits and goals go through the services, so their rules hold; the
 * check-ins (all between 90 days ago and today, the database's defaults for what they leave out)
 * are one createMany, since ~330 calls of CheckinService.put take seconds.
 *
 * A known password must not reach production by accident: with NODE_ENV=production the script
 * refuses unless it is run with `--allow-production`.
 */
import dotenv from 'dotenv';
import { Value } from '@sinclair/typebox/value';
import { EnvSchema } from '../config/env.js';
import { findPendingMigrations } from '../db/migrations.js';
import type pg from 'pg';
import { createPool, prismaOver, type PrismaClient } from '../db/client.js';
import { openScriptDatabase } from '../dev/script-database.js';
import { DatabaseRepository } from '../repositories/database.repository.js';
import { GoalsRepository } from '../repositories/goals.repository.js';
import { HabitsRepository } from '../repositories/habits.repository.js';
import { SessionsRepository } from '../repositories/sessions.repository.js';
import { UsersRepository } from '../repositories/users.repository.js';
import type { CreateHabitBody } from '../schemas/habit.schema.js';
import type { PutGoalBody } from '../schemas/goal.schema.js';
import type { PutCheckinBody } from '../schemas/checkin.schema.js';
import { GoalService } from '../services/goal.service.js';
import { HabitService } from '../services/habit.service.js';
import { addDays, parseDay } from '../utils/dates.js';
import { userToday } from '../utils/user-day.js';
import { createPasswordHasher } from '../auth/passwords.js';
import { ENV_FILE } from '../utils/paths.js';

const DEMO_EMAIL = 'demo@example.com';
const DEMO_PASSWORD = 'demo-password';
const DAYS = 90;

/** What one habit's check-in is on a day, given a random number in [0, 1) and how many days ago. */
type DayPlan = (random: number, daysAgo: number) => PutCheckinBody | null;

interface DemoHabit {
  habit: CreateHabitBody;
  goal: PutGoalBody | null;
  plan: DayPlan;
}

const pick = <T>(items: readonly T[], random: number): T => items[Math.floor(random * items.length)]!;

const DEMO_HABITS: DemoHabit[] = [
  {
    habit: { name: 'Drink water', kind: 'numeric', unit: 'glasses', icon: '💧', color: '#1e90ff', position: 0 },
    goal: { period: 'day', target: 8 },
    // Most days logged, 5–11 glasses, the target met all of the last week; today still in progress.
    plan: (random, daysAgo) => {
      if (daysAgo === 0) return { value: 5 };
      if (daysAgo > 7 && random < 0.08) return null;
      const value = daysAgo > 7 ? 5 + Math.floor(random * 7) : 8 + Math.floor(random * 4);
      return { value, note: value >= 11 ? 'Hot day' : null };
    },
  },
  {
    habit: { name: 'Read 20 pages', icon: '📚', color: '#8e44ad', description: 'Before bed, no phone', position: 1 },
    goal: { period: 'day', target: 1 },
    // Done on most days, a few skipped; the last two weeks unbroken, today included.
    plan: (random, daysAgo) => {
      if (daysAgo < 14 || random < 0.8) return { note: random < 0.1 ? pick(['Great chapter', 'Finished a book'], random * 10) : null };
      if (random < 0.88) return { status: 'skipped', note: pick(['Travelling', 'Sick'], (random - 0.8) / 0.08) };
      return null;
    },
  },
  {
    habit: { name: 'Run', icon: '🏃', color: '#e67e22', position: 2 },
    goal: { period: 'week', target: 3 },
    // About every other day, with the odd rest day; not yet today.
    plan: (random, daysAgo) => {
      if (daysAgo === 0 || random < 0.45) return null;
      if (random < 0.52) return { status: 'skipped', note: 'Rest day' };
      return { note: random > 0.95 ? 'Personal best' : null };
    },
  },
  {
    habit: { name: 'Meditate', kind: 'numeric', unit: 'minutes', icon: '🧘', color: '#27ae60', position: 3 },
    goal: { period: 'month', target: 300 },
    plan: (random) => (random < 0.25 ? null : { value: 5 + Math.floor(random * 16) }),
  },
  {
    habit: { name: 'Floss', icon: '🦷', color: '#95a5a6', position: 4, archived: true },
    goal: null,
    // Given up a month ago: archived, its history kept.
    plan: (random, daysAgo) => (daysAgo < 30 || random < 0.3 ? null : {}),
  },
];

/** mulberry32: a small seeded generator, so every run writes the same check-ins. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Prints why the script will not run, and exits with code 1. */
function refuse(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** BCRYPT_ROUNDS as the server reads it (same schema and default). */
function bcryptRounds(): number {
  const schema = EnvSchema.properties.BCRYPT_ROUNDS;
  const raw = process.env.BCRYPT_ROUNDS;
  if (!raw) return schema.default as number;
  const rounds = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Value.Check(schema, rounds)) {
    refuse(`Invalid environment variable BCRYPT_ROUNDS: expected an integer from ${schema.minimum} to ${schema.maximum}`);
  }
  return rounds;
}

async function seedDemoAccount(prisma: PrismaClient, pool: pg.Pool, passwordHash: string) {
  const today = userToday({ timezone: 'UTC', dayStartHour: 0 });
  const firstDay = addDays(today, -(DAYS - 1));
  // The cascade deletes the old demo account's habits, goals, check-ins and sessions.
  await prisma.user.deleteMany({ where: { email: DEMO_EMAIL } });
  const user = await prisma.user.create({
    data: { email: DEMO_EMAIL, password: passwordHash, name: 'Demo', timezone: 'UTC', createdAt: parseDay(firstDay) },
  });

  const habitsRepository = new HabitsRepository({ prisma, pg: pool });
  const db = { prisma, pg: pool };
  const habits = new HabitService(habitsRepository, new UsersRepository(db, new SessionsRepository(db)));
  const goals = new GoalService(habitsRepository, new GoalsRepository({ prisma, pg: pool }));
  const planned = await Promise.all(
    DEMO_HABITS.map(async ({ habit, goal, plan }, index) => {
      const { habit: created } = await habits.create(user.id, habit);
      if (goal) await goals.put(user.id, created.id, goal);
      const random = seededRandom(index + 1);
      const days: { habitId: string; date: string; checkin: PutCheckinBody }[] = [];
      for (let daysAgo = DAYS - 1; daysAgo >= 0; daysAgo--) {
        const checkin = plan(random(), daysAgo);
        if (checkin) days.push({ habitId: created.id, date: addDays(today, -daysAgo), checkin });
      }
      return days;
    }),
  );
  const checkins = planned.flat();
  await prisma.habitTracking.createMany({
    data: checkins.map(({ habitId, date, checkin }) => ({ habitId, date: parseDay(date), ...checkin })),
  });
  // As if the habits had been started with the account, 90 days ago.
  await prisma.habit.updateMany({ where: { userId: user.id }, data: { createdAt: parseDay(firstDay) } });
  return { firstDay, today, checkins: checkins.length };
}

dotenv.config({ path: ENV_FILE, quiet: true });
if (process.env.NODE_ENV === 'production' && !process.argv.includes('--allow-production')) {
  refuse(
    `Refusing to seed: NODE_ENV is production, and the demo account's password is published.\n` +
      `If you really want ${DEMO_EMAIL} in this database, run: npm run db:seed -- --allow-production`,
  );
}

const passwords = createPasswordHasher({ rounds: bcryptRounds(), threads: 1 });
const database = await openScriptDatabase();
const pool = createPool(database.url);
const prisma = prismaOver(pool);
try {
  const pending = await findPendingMigrations(new DatabaseRepository({ prisma }));
  if (pending.length > 0) {
    throw new Error(`The database is missing migrations ${pending.join(', ')}: run \`npm run db:deploy\` first`);
  }
  const { firstDay, today, checkins } = await seedDemoAccount(prisma, pool, await passwords.hash(DEMO_PASSWORD));
  const archived = DEMO_HABITS.filter(({ habit }) => habit.archived).length;
  process.stdout.write(
    `Demo account ready: ${DEMO_HABITS.length} habits (${archived} archived), ` +
      `${DEMO_HABITS.filter(({ goal }) => goal).length} goals, ${checkins} check-ins from ${firstDay} to ${today}\n` +
      `  email:    ${DEMO_EMAIL}\n` +
      `  password: ${DEMO_PASSWORD}\n`,
  );
} catch (error) {
  process.stderr.write(`Could not seed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await prisma.$disconnect();
  await pool.end();
  await passwords.close();
  await database.close();
}
