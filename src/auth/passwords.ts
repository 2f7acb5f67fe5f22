/**
 * bcrypt (bcryptjs) on a pool of worker threads, one per CPU. bcryptjs is pure JavaScript: one hash
 * at cost 10 is ~90 ms of CPU, so on the main thread a burst of logins would stall every request.
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

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
  close(): Promise<void>;
}

type Job = { op: 'hash'; password: string; rounds: number } | { op: 'verify'; password: string; hash: string };
interface Pending {
  job: Job;
  resolve: (value: string | boolean) => void;
  reject: (error: Error) => void;
}

/** The hashing threads' nice value (0 is the default, 19 the lowest priority). */
const HASHING_NICE = 10;

// Plain CommonJS evaluated in the worker, so it runs the same under tsx, vitest and the built code.
// On Linux the nice value is per thread: the hashing threads yield the CPUs to the event loop (and to
// PostgreSQL), so a burst of logins slows other requests less; hashing still gets every idle cycle.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcryptPath);
if (process.platform === 'linux') {
  try { require('node:os').setPriority(0, ${HASHING_NICE}); } catch { /* not permitted: keep the default */ }
}
parentPort.on('message', (job) => {
  try {
    const result = job.op === 'hash' ? bcrypt.hashSync(job.password, job.rounds) : bcrypt.compareSync(job.password, job.hash);
    parentPort.postMessage({ result });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
});
`;

/**
 * bcrypt allocates a few KB per hash: small heaps keep each worker's memory near the cost of a
 * bare isolate instead of growing to V8's defaults under a burst of logins.
 */
const WORKER_HEAP_LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 32 };

export function createPasswordHasher(options: { rounds: number; threads?: number }): PasswordHasher {
  const bcryptPath = createRequire(import.meta.url).resolve('bcryptjs');
  const size = options.threads ?? availableParallelism();
  const idle: Worker[] = [];
  const busy = new Map<Worker, Pending>();
  const queue: Pending[] = [];
  let closed = false;

  const dispatch = (): void => {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.pop()!;
      const pending = queue.shift()!;
      busy.set(worker, pending);
      worker.postMessage(pending.job);
    }
  };

  const startWorker = (): void => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bcryptPath }, resourceLimits: WORKER_HEAP_LIMITS });
    worker.unref();
    worker.on('message', (message: { result?: string | boolean; error?: string }) => {
      const pending = busy.get(worker);
      busy.delete(worker);
      idle.push(worker);
      if (message.error !== undefined) pending?.reject(new Error(message.error));
      else pending?.resolve(message.result!);
      dispatch();
    });
    worker.on('error', (error) => {
      busy.get(worker)?.reject(error);
      busy.delete(worker);
      if (!closed) startWorker();
    });
    idle.push(worker);
  };

  for (let i = 0; i < size; i++) startWorker();

  const run = (job: Job) =>
    new Promise<string | boolean>((resolve, reject) => {
      if (closed) {
        reject(new Error('password hasher is closed'));
        return;
      }
      queue.push({ job, resolve, reject });
      dispatch();
    });

  return {
    rounds: options.rounds,
    hash: async (password) => (await run({ op: 'hash', password, rounds: options.rounds })) as string,
    verify: async (password, hash) => (await run({ op: 'verify', password, hash })) as boolean,
    close: async () => {
      closed = true;
      for (const pending of queue.splice(0)) pending.reject(new Error('password hasher is closed'));
      await Promise.all([...idle, ...busy.keys()].map((worker) => worker.terminate()));
    },
  };
}
