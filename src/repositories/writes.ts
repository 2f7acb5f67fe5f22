/** Conditional writes shared by repositories: the precondition goes into the write's own statement. */

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
