import { pageGlobal } from "./pageGlobal";
import { noteShownQuery } from "./shownQueries";

export type HistoryEventCause = "pushState" | "replaceState" | "popstate" | "hashchange";

export interface HistoryListener {
  /** `movedPath`: a push, replace or Back/Forward that changed the pathname (a page navigation), not only the query. */
  onHistoryEvent(cause: HistoryEventCause, movedPath: boolean): void;
  /**
   * Asked before every foreign `pushState`: returning true writes the entry
   * with `replaceState` instead, which is how Streamlit's one-push-per-write
   * is kept from piling up entries.
   */
  shouldReplacePush(target: URL): boolean;
}

export interface HistoryPatch {
  /** The functions found before patching; the bridge's own writes use them so they raise no events. */
  readonly pushState: History["pushState"];
  readonly replaceState: History["replaceState"];
  readonly listeners: Set<HistoryListener>;
}

export const HISTORY_PATCH_KEY = "history-patch";

function resolveTarget(url: string | URL | null | undefined): URL | null {
  if (url === null || url === undefined) {
    return null;
  }
  try {
    return new URL(String(url), window.location.href);
  } catch {
    return null;
  }
}

/**
 * Listener failures are logged, never thrown: the page's own history write
 * has already happened and must not appear to fail because of the bridge.
 */
function safely(run: () => void): void {
  try {
    run();
  } catch (error) {
    console.error("st-page-state bridge:", error);
  }
}

function install(): HistoryPatch {
  const history = window.history;
  const patch: HistoryPatch = {
    pushState: history.pushState,
    replaceState: history.replaceState,
    listeners: new Set(),
  };

  /** The path of the last history event: tells a Back/Forward to another page's entry. */
  let shownPath = window.location.pathname;
  const notify = (cause: HistoryEventCause, movedPath = false): void => {
    shownPath = window.location.pathname;
    noteShownQuery();
    for (const listener of [...patch.listeners]) {
      safely(() => listener.onHistoryEvent(cause, movedPath));
    }
  };

  const wantsReplace = (target: URL | null): boolean => {
    if (!target) {
      return false;
    }
    let replace = false;
    for (const listener of patch.listeners) {
      safely(() => {
        replace = listener.shouldReplacePush(target) || replace;
      });
    }
    return replace;
  };

  history.pushState = function pushState(this: History, ...args: Parameters<History["pushState"]>) {
    const original = wantsReplace(resolveTarget(args[2])) ? patch.replaceState : patch.pushState;
    const path = window.location.pathname;
    original.apply(this, args);
    notify("pushState", window.location.pathname !== path);
  };
  history.replaceState = function replaceState(
    this: History,
    ...args: Parameters<History["replaceState"]>
  ) {
    const path = window.location.pathname;
    patch.replaceState.apply(this, args);
    notify("replaceState", window.location.pathname !== path);
  };
  window.addEventListener("popstate", () => notify("popstate", window.location.pathname !== shownPath));
  window.addEventListener("hashchange", () => notify("hashchange"));
  return patch;
}

/** Patches at most once per page, however many times or copies the bundle runs. */
export function historyPatch(): HistoryPatch {
  return pageGlobal(HISTORY_PATCH_KEY, install);
}

export function subscribeHistory(listener: HistoryListener): () => void {
  const { listeners } = historyPatch();
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
