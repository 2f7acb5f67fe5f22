/**
 * bcrypt (bcryptjs) on a pool of worker threads (piscina), up to one per CPU. bcryptjs is pure
 * JavaScript: one hash at cost 10 is ~90 ms of CPU, so on the main thread a burst of logins would
 * stall every request. The threads run src/auth/bcrypt-worker.cjs at a lower priority (nice 10, on
 * Linux). They start with the first hash and stop after a while without one: each is a V8 isolate
 * of ~10 MB, idle between the bursts of an API whose clients log in once a week and refresh
 * otherwise.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';

/** bcrypt reads at most 72 bytes; longer passwords are refused, never silently truncated. */
export const MAX_PASSWORD_BYTES = 72;

export function exceedsBcryptLimit(password: string): boolean {
  return Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES;
}

/** The cost a bcrypt hash was made with (`$2b$10$…` → 10), or null for anything else. */
export function bcryptCost(hash: string): number | null {
  const cost = /^\$2[abxy]?\$(\d\d)\$/.exec(hash)?.[1];
  return cost === undefined ? null : Number(cost);
}

export interface PasswordHasher {
  /** The cost new hashes are made with. */
  readonly rounds: number;
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
  /** The pool's state now, for the metrics: a burst of logins shows as `queued`. */
  load(): PasswordHasherLoad;
  close(): Promise<void>;
}

export interface PasswordHasherLoad {
  threads: number;
  /** Hashes and verifications running on a thread. */
  running: number;
  /** Those waiting for a thread. */
  queued: number;
}

type Job = { op: 'hash'; password: string; rounds: number } | { op: 'verify'; password: string; hash: string };

/** The hashing threads' nice value (0 is the default, 19 the lowest priority). */
const HASHING_NICE = 10;

/**
 * bcrypt allocates a few KB per hash: small heaps keep each worker's memory near the cost of a
 * bare isolate (~10 MB) instead of growing under a burst of logins. A young generation of 1 MB
 * instead of 4 keeps each worker ~2.5 MB smaller after 20 verifications (RSS, measured: issue 18).
 */
const WORKER_HEAP_LIMITS = { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 };

/**
 * How long a thread may sit idle before it stops (the pg pool's default for idle connections). A
 * thread's start makes its first hash ~120 ms slower (the isolate boots and bcryptjs runs cold):
 * measured, 190–250 ms against 74 ms for a compare at cost 10.
 */
const IDLE_THREAD_MS = 10_000;

/** Next to this module: src/auth/ under tsx and vitest, dist/auth/ once built. */
const WORKER_FILE = new URL('./bcrypt-worker.cjs', import.meta.url).href;

export function createPasswordHasher(options: { rounds: number; threads?: number; idleThreadMs?: number }): PasswordHasher {
  const threads = options.threads ?? availableParallelism();
  const pool = new Piscina<Job, string | boolean>({
    filename: WORKER_FILE,
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: options.idleThreadMs ?? IDLE_THREAD_MS,
    resourceLimits: WORKER_HEAP_LIMITS,
    workerData: { nice: HASHING_NICE },
    // Nothing reads the pool's run and wait time histograms.
    recordTiming: false,
  });
  // Jobs given to the pool and not finished: piscina counts those queued, not those running.
  let inFlight = 0;
  const run = async (job: Job): Promise<string | boolean> => {
    inFlight += 1;
    try {
      return await pool.run(job);
    } finally {
      inFlight -= 1;
    }
  };
  return {
    rounds: options.rounds,
    hash: async (password) => (await run({ op: 'hash', password, rounds: options.rounds })) as string,
    verify: async (password, hash) => (await run({ op: 'verify', password, hash })) as boolean,
    load: () => {
      const queued = pool.queueSize;
      return { threads: pool.threads.length, running: Math.min(Math.max(inFlight - queued, 0), threads), queued };
    },
    close: () => pool.destroy(),
  };
}
