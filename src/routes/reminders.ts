/** Reminders: when an app should fire its local notifications. Registered inside the authenticated scope. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { BearerAuth, errorResponses } from '../schemas/common.schema.js';
import { MAX_REMINDER_RANGE_DAYS, ReminderOccurrence, RemindersQuery } from '../schemas/reminders.schema.js';

const remindersRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const reminders = fastify.remindersService;

  fastify.get(
    '/reminders',
    {
      schema: {
        tags: ['reminders'],
        security: BearerAuth,
        summary: 'Every reminder of your active habits in a range of time, to schedule as local notifications',
        description:
          `Each reminder (\`{ time, days? }\` of a habit) fires on every one of your days on which its habit is due (and, with \`days\`, ` +
          `is one of those ISO weekdays), at \`time\` in your time zone: \`at\` is that instant in UTC, \`localDate\` your day it is ` +
          `for, \`localTime\` the reminder's time, \`done\` whether that day is already satisfied by a check-in. A time earlier ` +
          `than your \`dayStartHour\` belongs to the day that started the evening before (with 4, Monday's 01:00 reminder fires ` +
          `on Tuesday's date). A time a DST change skips fires shifted forward by the gap (02:30 → 03:30); one that occurs twice ` +
          `fires once, at the first. The range is [\`from\`, \`to\`), at most ${MAX_REMINDER_RANGE_DAYS} days; sorted by \`at\`, ` +
          `then \`habitId\`. Archived habits have none.`,
        querystring: RemindersQuery,
        response: { 200: Type.Array(ReminderOccurrence), ...errorResponses(400, 401) },
      },
    },
    async (request) => reminders.occurrences(request.user.userId, request.query),
  );
};

export default remindersRoutes;
