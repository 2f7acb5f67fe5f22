// Work-around 3 (see prisma/offline/README.md): after `prisma migrate dev` the WASM schema engine
// leaves 10 s and 60 s timers that keeps the CLI alive. Preloaded with --require, this unrefs long timers
// so the process exits as soon as its real work is done.
const originalSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = function unrefLongTimers(callback, delay, ...args) {
  const timer = originalSetTimeout(callback, delay, ...args);
  if (typeof delay === 'number' && delay >= 5_000 && typeof timer?.unref === 'function') timer.unref();
  return timer;
};
