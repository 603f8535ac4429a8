/**
 * Page-wide singletons live on `window` under registered symbols, not in module
 * scope: Streamlit imports the bundle from a blob URL, so a second copy of the
 * bundle (another version, or the same text re-registered) gets fresh module
 * scope but must still share one history patch and one memory.
 */
export function pageGlobal<T>(name: string, create: () => T): T {
  const host = window as unknown as Record<symbol, T | undefined>;
  const key = Symbol.for(name);
  const existing = host[key];
  if (existing !== undefined) {
    return existing;
  }
  const created = create();
  host[key] = created;
  return created;
}

const MEMORY_LIMIT = 200;

/**
 * Adds `key` and tells whether it was new. Bounded so a long-lived tab cannot
 * grow it forever; the oldest keys are the ones that can no longer recur.
 */
export function rememberOnce(memory: Set<string>, key: string): boolean {
  if (memory.has(key)) {
    return false;
  }
  memory.add(key);
  if (memory.size > MEMORY_LIMIT) {
    const oldest = memory.values().next().value;
    if (oldest !== undefined) {
      memory.delete(oldest);
    }
  }
  return true;
}

/** What must outlive a remount of the component within one page load. */
export interface PageMemory {
  /** Keys of reports already sent, so a rerun never re-sends the same news. */
  reported: Set<string>;
  /** Push-mode revisions already turned into a history entry. */
  handledPushes: Set<string>;
  /** Mismatching server tab ids already answered with `tab_id`. */
  tabIdAnsweredFor: Set<string>;
  /** The tab id once read, so a storage that starts throwing cannot change it. */
  tabId: string | undefined;
}

export function pageMemory(): PageMemory {
  return pageGlobal<PageMemory>("st-page-state.page-memory", () => ({
    reported: new Set(),
    handledPushes: new Set(),
    tabIdAnsweredFor: new Set(),
    tabId: undefined,
  }));
}
