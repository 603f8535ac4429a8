/**
 * Page-wide singletons, keyed by bundle version, on `window` under registered
 * symbols (not module scope): Streamlit imports the bundle as a module, and a
 * remount or a second copy of the same bundle gets fresh module scope but
 * must share one history patch and one memory.
 *
 * A copy of *another* version (a server upgraded under an open page) must not
 * patch history a second time: the first version to run owns the page and a
 * different one refuses to run, with one console warning (as nuqs refuses a
 * mismatched copy of itself).
 */

declare const __BRIDGE_VERSION__: string;

export const BRIDGE_VERSION: string = __BRIDGE_VERSION__;

const OWNER_KEY = Symbol.for("st-page-state.bridge-version");

type Host = Record<symbol, unknown>;

/** Whether this bundle's version runs in this page (the first version to ask owns it). */
export function ownsPage(): boolean {
  const host = window as unknown as Host;
  const owner = host[OWNER_KEY];
  if (owner === undefined) {
    host[OWNER_KEY] = BRIDGE_VERSION;
    return true;
  }
  if (owner !== BRIDGE_VERSION) {
    const warned = Symbol.for(`st-page-state.refused-${BRIDGE_VERSION}`);
    if (host[warned] === undefined) {
      host[warned] = true;
      console.warn(
        `st-page-state: URL bridge ${BRIDGE_VERSION} did not start: version ${String(owner)} already ` +
          "runs in this page. Reload the page to use the new version.",
      );
    }
    return false;
  }
  return true;
}

export function pageGlobal<T>(name: string, create: () => T): T {
  const host = window as unknown as Record<symbol, T | undefined>;
  const key = Symbol.for(`st-page-state@${BRIDGE_VERSION}.${name}`);
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

/** What must outlive a remount of the URL element within one page load. */
export interface PageMemory {
  /** Keys of reports already sent, so a rerun never re-sends the same news. */
  reported: Set<string>;
  /** Push-mode revisions already turned into a history entry. */
  handledPushes: Set<string>;
  /** First writes already applied for the server. */
  appliedHeld: Set<string>;
}

export function pageMemory(): PageMemory {
  return pageGlobal<PageMemory>("page-memory", () => ({
    reported: new Set(),
    handledPushes: new Set(),
    appliedHeld: new Set(),
  }));
}
