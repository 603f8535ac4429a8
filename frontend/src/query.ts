/**
 * Query comparison restricted to the params the app owns: other params belong
 * to Streamlit widgets or other scripts, and a difference there must never
 * cause a report or block a history write.
 */

export function stripQuestionMark(search: string): string {
  return search.startsWith("?") ? search.slice(1) : search;
}

function sameList(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((value, index) => value === right[index]);
}

/** Compares decoded values, so "a+b" and "a%20b" count as the same value. */
export function ownedParamsDiffer(
  leftQuery: string,
  rightQuery: string,
  owned: readonly string[],
): boolean {
  const left = new URLSearchParams(leftQuery);
  const right = new URLSearchParams(rightQuery);
  return owned.some((name) => !sameList(left.getAll(name), right.getAll(name)));
}

/** Equality of whole queries, insensitive to percent-encoding choices. */
export function sameQuery(leftQuery: string, rightQuery: string): boolean {
  return (
    new URLSearchParams(leftQuery).toString() === new URLSearchParams(rightQuery).toString()
  );
}
