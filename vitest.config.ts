import { defineConfig } from 'vitest/config';

/**
 * The `slow` tier: tests that start processes (the server, npm scripts, the examples, a browser),
 * and tests that move volumes (10,000 logins, a 30 MB export). Every other file in tests/integration
 * is in the `http` tier: the app in this process, through `app.inject`, on a real database.
 * tests/unit/test-tiers.test.ts fails when a file that starts a process is missing here.
 */
export const SLOW_TESTS = [
  // Processes
  'tests/browser/**/*.test.ts',
  'tests/integration/client.test.ts',
  'tests/integration/email-delivery.test.ts',
  'tests/integration/examples.test.ts',
  'tests/integration/export-large.test.ts',
  'tests/integration/instances.test.ts',
  'tests/integration/seed.test.ts',
  'tests/integration/server.test.ts',
  'tests/integration/session-cleanup.test.ts',
  'tests/integration/shutdown-under-load.test.ts',
  // Volumes
  'tests/integration/export-stream.test.ts',
  'tests/integration/login-throttle.test.ts',
];

/** A database server and a migrated template for the run, shared by the projects that need them. */
const DATABASE = ['tests/helpers/global-setup.ts'];

// `npm test` runs every project; `npm run test:unit` and `npm run test:fast` (unit + http) run a part.
export default defineConfig({
  test: {
    // Real databases and real processes: give slow machines room, but fail rather than hang.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { NODE_ENV: 'test' },
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'http',
          include: ['tests/integration/**/*.test.ts'],
          exclude: SLOW_TESTS,
          globalSetup: DATABASE,
          // The files share their workers' modules instead of importing the app, Prisma and Fastify
          // each: the tier takes ~40 % less time. Safe because nothing in src/ keeps state in a module.
          isolate: false,
        },
      },
      { extends: true, test: { name: 'slow', include: SLOW_TESTS, globalSetup: DATABASE } },
    ],
  },
});
