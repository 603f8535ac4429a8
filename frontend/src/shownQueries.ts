import { pageGlobal } from "./pageGlobal";

/**
 * How long before it begins to leave a query string the page showed still
 * counts as the page's own. A reload asks the server for the URL the browser
 * knew when the reload began, which may be a moment older than what the page
 * shows by then (a URL write of the server still landed, and on a loaded
 * machine the page goes seconds after the reload began); a person's edit of
 * the address bar, or a bookmark, takes longer than this after a change.
 */
export const SHOWN_WINDOW_MS = 3000;

interface Shown {
  /** When each query string was seen in the address bar, oldest first. */
  seen: [number, string][];
  /** What the page had shown as it began to leave. */
  leaving: string[];
}

const shown = (): Shown => pageGlobal<Shown>("shown-queries", () => ({ seen: [], leaving: [] }));

/**
 * Remember the query string the address bar shows now (history writes, each run, leaving).
 *
 * A query counts while it was shown within the window: until the next one
 * replaced it, not from when it first appeared (a page may show the same
 * query for a minute, and a reload asks for it a moment after it changed).
 */
export function noteShownQuery(): void {
  const { seen } = shown();
  const now = Date.now();
  seen.push([now, window.location.search]);
  while (seen.length > 1 && seen[1]![0] < now - SHOWN_WINDOW_MS) {
    seen.shift();
  }
}

/** Forget what the page showed so far (a tab correction: it showed another tab's state). */
export function forgetShownQueries(): void {
  shown().seen.length = 0;
}

/** The page begins to leave (`beforeunload`): what it showed just before counts, however long it takes to go. */
export function beginLeaving(): void {
  noteShownQuery();
  shown().leaving = shown().seen.map(([, query]) => query);
}

/** The distinct query strings shown as the page began to leave and since, at most 4, the current one last. */
export function justShownQueries(): string[] {
  noteShownQuery();
  const { seen, leaving } = shown();
  const all = [...leaving, ...seen.map(([, query]) => query)];
  return all.filter((query, index) => all.lastIndexOf(query) === index).slice(-4);
}
