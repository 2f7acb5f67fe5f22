/** Prisma writes shared by repositories, with the driver's errors turned into the project's typed errors. */
import { isRecordNotFound, isUniqueViolation } from '../db/errors.js';
import { NotFoundError } from '../utils/errors.js';

/**
 * A conditional write goes ahead only while the item is in one of these states (an empty list: never).
 * `changeSeq` is set by If-Match (an ETag names one state exactly); a sync change's `baseVersion` gives
 * only the version.
 */
export type Precondition = readonly { version: number; changeSeq?: bigint }[];

/** The `where` of a conditional write: part of the write's own statement, so nothing can change in between. */
export function whereMatches(expected: Precondition | undefined) {
  if (expected === undefined) return {};
  return { OR: expected.map(({ version, changeSeq }) => ({ version, ...(changeSeq !== undefined && { changeSeq }) })) };
}

/** Whether an item in `state` satisfies `expected` (the same test as whereMatches, for a row already read). */
export function satisfies(state: { version: number; changeSeq: bigint }, expected: Precondition | undefined): boolean {
  return (
    expected === undefined ||
    expected.some((e) => e.version === state.version && (e.changeSeq === undefined || e.changeSeq === state.changeSeq))
  );
}

/**
 * Creates a row or, when a unique key says it exists (perhaps created concurrently), replaces it;
 * `created` tells which. A row deleted between the two is a NotFoundError.
 */
export async function createOrReplace<T>(create: () => Promise<T>, replace: () => Promise<T>): Promise<{ row: T; created: boolean }> {
  try {
    return { row: await create(), created: true };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  try {
    return { row: await replace(), created: false };
  } catch (error) {
    throw isRecordNotFound(error) ? new NotFoundError() : error;
  }
}
