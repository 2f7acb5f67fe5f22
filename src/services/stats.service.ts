/**
 * Statistics, the home screen and the export: each loads what it needs in a constant number of
 * queries (relation joins, no query per habit or per day), then computes in memory.
 */
import type { PrismaClient } from '../db/prisma.js';
import { formatDay, parseDay, startOfIsoWeek, startOfMonth, todayIn } from '../utils/dates.js';
import { NotFoundError } from '../utils/errors.js';
import { publicUserFields } from './auth.service.js';
import { HABIT_NOT_FOUND } from './habit.service.js';
import { computeStats, currentPeriodProgress, type HabitStats } from './streaks.js';
import { toCheckin } from './tracking.service.js';

const checkinFields = { date: true, status: true, value: true } as const;

export class StatsService {
  constructor(private readonly prisma: PrismaClient) {}

  /** One query: the habit, its goal, its owner's time zone and its check-ins. */
  async habitStats(userId: string, habitId: string, asOf?: string): Promise<HabitStats> {
    const habit = await this.prisma.habit.findFirst({
      relationLoadStrategy: 'join',
      where: { id: habitId, userId },
      select: {
        kind: true,
        createdAt: true,
        goal: { select: { period: true, target: true } },
        user: { select: { timezone: true } },
        trackings: { select: checkinFields, orderBy: { date: 'asc' }, ...(asOf && { where: { date: { lte: parseDay(asOf) } } }) },
      },
    });
    if (!habit) throw new NotFoundError(HABIT_NOT_FOUND);
    const { timezone } = habit.user;
    return computeStats({
      kind: habit.kind,
      goal: habit.goal,
      createdOn: todayIn(timezone, habit.createdAt),
      checkins: habit.trackings.map((row) => ({ ...row, date: formatDay(row.date) })),
      today: asOf ?? todayIn(timezone),
    });
  }

  /** Every active habit with its goal, today's check-in and the current period's progress: two queries. */
  async today(userId: string) {
    const { timezone } = await this.prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { timezone: true } });
    const today = todayIn(timezone);
    // The longest current period starts no earlier than this.
    const since = [startOfIsoWeek(today), startOfMonth(today)].sort()[0]!;
    const habits = await this.prisma.habit.findMany({
      relationLoadStrategy: 'join',
      where: { userId, archived: false },
      orderBy: [{ position: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
      include: {
        goal: true,
        trackings: { where: { date: { gte: parseDay(since), lte: parseDay(today) } }, orderBy: { date: 'asc' } },
      },
    });
    return habits.map(({ goal, trackings, ...habit }) => {
      const checkins = trackings.map(toCheckin);
      return {
        habit,
        goal,
        checkin: checkins.find((checkin) => checkin.date === today) ?? null,
        progress: currentPeriodProgress(habit.kind, goal, checkins, today).progress,
      };
    });
  }

  /** All the user's data (archived habits included): one query. */
  async export(userId: string) {
    const user = await this.prisma.user.findUniqueOrThrow({
      relationLoadStrategy: 'join',
      where: { id: userId },
      select: {
        ...publicUserFields,
        habits: {
          orderBy: [{ position: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
          include: { goal: true, trackings: { orderBy: { date: 'asc' } } },
        },
      },
    });
    const { habits, ...profile } = user;
    return {
      exportedAt: new Date(),
      user: profile,
      habits: habits.map(({ trackings, ...habit }) => ({ ...habit, checkins: trackings.map(toCheckin) })),
    };
  }
}

/** RFC 4180: fields with a comma, quote, CR or LF are quoted, with quotes doubled. */
function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function exportToCsv(document: Awaited<ReturnType<StatsService['export']>>): string {
  const rows = [['habit', 'date', 'status', 'value', 'note'].join(',')];
  for (const habit of document.habits) {
    for (const checkin of habit.checkins) {
      rows.push([habit.name, checkin.date, checkin.status, checkin.value, checkin.note].map(csvField).join(','));
    }
  }
  return `${rows.join('\r\n')}\r\n`;
}
