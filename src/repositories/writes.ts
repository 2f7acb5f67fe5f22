/** Prisma writes shared by repositories, with the driver's errors turned into the project's typed errors. */
import { isRecordNotFound, isUniqueViolation } from '../db/errors.js';
import { NotFoundError } from '../utils/errors.js';

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
