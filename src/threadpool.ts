import os from 'node:os';

/**
 * argon2id runs on libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE says
 * otherwise). More hashing threads than cores only time-slices the hashes and
 * starves the event loop that drives Temporal and HTTP; fewer leaves cores idle.
 * `npm run bench` measured it (docs/performance.md): one thread per core.
 *
 * libuv reads the variable once, when something first queues work on the pool,
 * so the API and the worker import this module before anything else. An
 * explicit UV_THREADPOOL_SIZE wins.
 */
export const DEFAULT_UV_THREADPOOL_SIZE = Math.max(2, os.availableParallelism());

process.env['UV_THREADPOOL_SIZE'] ??= String(DEFAULT_UV_THREADPOOL_SIZE);
