/**
 * The task of src/auth/passwords.ts's piscina pool: one bcrypt hash or comparison. Plain CommonJS,
 * so it runs unchanged under tsx, vitest and the built code (the build copies it into dist/auth/).
 */
'use strict';
const { setPriority } = require('node:os');
const { workerData } = require('node:worker_threads');
const bcrypt = require('bcryptjs');

// On Linux the nice value is per thread: the hashing threads yield the CPUs to the event loop (and to
// PostgreSQL), so a burst of logins slows other requests less; hashing still gets every idle cycle.
if (process.platform === 'linux') {
  try {
    setPriority(0, workerData.nice);
  } catch {
    // Not permitted: keep the default.
  }
}

module.exports = (job) => (job.op === 'hash' ? bcrypt.hashSync(job.password, job.rounds) : bcrypt.compareSync(job.password, job.hash));
