/**
 * Concurrency levels shared by scenarios whose floors are measured at the same
 * levels (the no-op workflow floor is memoised per level), full run and --quick.
 */
export const NOOP_LEVELS = { full: [1, 16, 32], quick: [8] };
export const ARGON2_PATH_LEVELS = { full: [1, 4, 16], quick: [1, 8] };
export const USER_PATH_LEVELS = { full: [1, 16], quick: [4] };

/** Paths bound by argon2 aim for this share of the argon2 floor; paths bound by Temporal for this share of the no-op workflow. */
export const ARGON2_TARGET = 0.7;
export const WORKFLOW_TARGET = 0.5;
