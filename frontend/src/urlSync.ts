import { pageMemory, rememberOnce, type PageMemory } from "./pageGlobal";
import { historyPatch, subscribeHistory, type HistoryEventCause, type HistoryPatch } from "./patchHistory";
import { ownedParamsDiffer, sameQuery, stripQuestionMark } from "./query";
import { createCoalescer, type Coalescer } from "./scheduler";
import type { ReportCause, UrlData, UrlReport } from "./types";

/**
 * Streamlit reruns by itself on Back/Forward; how long the bridge stays quiet
 * waiting for that run's data before it checks the URL like after any edit.
 */
export const POPSTATE_QUIET_MS = 1500;

/**
 * Streamlit's page navigation pushes the new page's path when that page's
 * run starts, and the run's data (with the new page's `owned` params) comes
 * at its end; how long a push to another path waits for that data before it
 * is checked like any edit.
 *
 * A push that keeps the path needs no such wait: when Streamlit pushes the
 * server's URL write, the same run's data reached the page before it
 * (Python sends the URL element first), so the push either matches
 * `expected` already or is followed by the data within a render, well
 * inside the check's coalescing delay. Another script's push is therefore
 * checked, and reported, as fast as a replace.
 */
export const PAGE_SWITCH_WAIT_MS = 1000;

/**
 * A revision the server wrote whose `pushState` has not reached the address
 * bar yet: the URL element's data goes first (see `PAGE_SWITCH_WAIT_MS`), so
 * for a moment the address bar still shows the query from before the write.
 * That query is not an edit and is never reported for this revision; any
 * other query is, and the write's arrival ends the wait.
 */
interface PendingWrite {
  revision: number;
  before: string;
}

/** No check until data other than this `revision`/`expected` arrives, or `until` passes. */
interface Suppression {
  revision: number;
  expected: string;
  until: number;
}

function currentQuery(): string {
  return stripQuestionMark(window.location.search);
}

/**
 * Whether the address bar shows what the server last knew of it: the URL it
 * expected, the URL the page loaded with while its first write is held, or
 * the last edit reported to it. Anything else got there by an edit.
 */
function showsServerView(
  query: string,
  previous: UrlData,
  reported: string | undefined,
  owned: readonly string[],
): boolean {
  const views = [previous.expected, previous.held?.from, reported];
  return views.some((view) => view !== undefined && !ownedParamsDiffer(query, view, owned));
}

/** The address bar with another query, same path and hash. */
function urlWithQuery(query: string): string {
  const { pathname, hash } = window.location;
  return pathname + (query ? `?${query}` : "") + hash;
}

/**
 * One mounted URL element: compares the address bar with what the server
 * expects, reports owned params that differ (coalesced, once per news),
 * applies the server's held first write and push-mode history entries, and
 * turns Streamlit's pushes of owned changes into replaces.
 */
export class UrlSync {
  private data: UrlData | undefined;
  private pendingCause: ReportCause | undefined;
  private suppression: Suppression | undefined;
  private pendingWrite: PendingWrite | undefined;
  /** The query of the last report sent: the server knows it, and answers it with its next write. */
  private lastReported: string | undefined;
  private disposed = false;
  private readonly memory: PageMemory = pageMemory();
  private readonly patch: HistoryPatch = historyPatch();
  private readonly coalescer: Coalescer = createCoalescer(() => this.check());
  private readonly unsubscribe: () => void;

  private sendReport: (report: UrlReport) => void = () => undefined;

  constructor(private readonly isAttached: () => boolean) {
    this.unsubscribe = subscribeHistory({
      onHistoryEvent: (cause, movedPath) => this.onHistoryEvent(cause, movedPath),
      shouldReplacePush: (target) => this.shouldReplacePush(target),
    });
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Streamlit calls the renderer again with fresh data (and callbacks) on every run. */
  update(data: UrlData, sendReport: (report: UrlReport) => void): void {
    if (this.disposed) {
      return;
    }
    this.sendReport = sendReport;
    const previous = this.data;
    this.data = data;
    const editedBeforeData = this.awaitWrite(previous);
    const { suppression } = this;
    if (suppression && (data.revision !== suppression.revision || data.expected !== suppression.expected)) {
      this.suppression = undefined; // Streamlit's own Back/Forward run has landed.
    }
    this.applyHeld();
    this.applyPush();
    this.requestCheck(previous === undefined ? "mount" : "data");
    if (editedBeforeData) {
      // Say so now, not after the coalescing delay, when Streamlit's push of
      // a run's write may already have landed over the edit and hidden it.
      this.coalescer.cancel();
      this.check();
    }
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    this.unsubscribe();
    this.coalescer.cancel();
  }

  /** Streamlit may drop an element without calling its cleanup; a detached element retires itself. */
  private alive(): boolean {
    if (!this.disposed && !this.isAttached()) {
      this.dispose();
    }
    return !this.disposed;
  }

  private isSuppressed(): boolean {
    return this.suppression !== undefined && Date.now() < this.suppression.until;
  }

  private requestCheck(cause: ReportCause): void {
    // A history event says more about why the URL moved than data that
    // happened to arrive in the same burst.
    if (cause !== "data" || this.pendingCause === undefined) {
      this.pendingCause = cause;
    }
    this.coalescer.schedule();
  }

  private check(): void {
    const { data } = this;
    if (!data || !this.alive()) {
      return;
    }
    if (this.suppression) {
      const remaining = this.suppression.until - Date.now();
      if (remaining > 0) {
        this.coalescer.schedule(remaining);
        return;
      }
      this.suppression = undefined;
    }
    const cause = this.pendingCause ?? "data";
    this.pendingCause = undefined;
    const query = currentQuery();
    if (!ownedParamsDiffer(query, data.expected, data.owned) || this.writeOnItsWay(query)) {
      return;
    }
    // `expected` is part of the key: after Python adopts an edit without
    // writing the URL the revision stays, yet an edit back is new news.
    if (rememberOnce(this.memory.reported, JSON.stringify([data.revision, data.expected, query]))) {
      this.lastReported = query;
      this.sendReport({ query, revision: data.revision, cause });
    }
  }

  /**
   * A new revision whose `expected` the address bar does not show yet:
   * Streamlit's push of it is on its way. Returns whether the address bar was
   * edited before this data came instead (then it is news to report at once).
   */
  private awaitWrite(previous: UrlData | undefined): boolean {
    const { data, pendingWrite } = this;
    if (!data || (pendingWrite && pendingWrite.revision === data.revision)) {
      return false;
    }
    const query = currentQuery();
    const written = previous !== undefined && data.revision > previous.revision;
    const differs = ownedParamsDiffer(query, data.expected, data.owned);
    this.pendingWrite =
      written && differs && showsServerView(query, previous, this.lastReported, data.owned)
        ? { revision: data.revision, before: query }
        : undefined;
    const editedBeforeMount =
      previous === undefined && differs && !(data.held && !ownedParamsDiffer(query, data.held.from, data.owned));
    return (written && differs && !this.pendingWrite) || editedBeforeMount;
  }

  private writeOnItsWay(query: string): boolean {
    const { data, pendingWrite } = this;
    return (
      data !== undefined &&
      pendingWrite !== undefined &&
      pendingWrite.revision === data.revision &&
      !ownedParamsDiffer(query, pendingWrite.before, data.owned)
    );
  }

  /**
   * The server's first write, left to the bridge so that it adds no history
   * entry: the address bar still shows what the page loaded with (`from`),
   * so it is replaced with `expected`, with the original function (no event,
   * no report). Anything else in the address bar by now is an edit, checked
   * like any other.
   */
  private applyHeld(): void {
    const { data } = this;
    if (!data?.held || !sameQuery(currentQuery(), data.held.from)) {
      return;
    }
    if (rememberOnce(this.memory.appliedHeld, JSON.stringify([data.revision, data.expected]))) {
      this.patch.replaceState.call(window.history, window.history.state, "", urlWithQuery(data.expected));
    }
  }

  /**
   * Push mode: Streamlit's own push was turned into a replace, so the entry
   * for this user change is added here, once: the current entry goes back to
   * `from` and the new one holds the current URL.
   */
  private applyPush(): void {
    const { data } = this;
    if (!data?.push || this.isSuppressed()) {
      return;
    }
    const query = currentQuery();
    if (ownedParamsDiffer(query, data.expected, data.owned)) {
      return; // Streamlit has not written this revision yet; retried on its write.
    }
    const { from } = data.push;
    // Keyed by revision and `from`, not `expected`: Back to `from` makes
    // Python adopt it and may resend the same push, which must not re-push.
    if (!rememberOnce(this.memory.handledPushes, JSON.stringify([data.revision, from]))) {
      return;
    }
    if (!ownedParamsDiffer(from, query, data.owned)) {
      return;
    }
    const state: unknown = window.history.state;
    this.patch.replaceState.call(window.history, state, "", urlWithQuery(from));
    this.patch.pushState.call(window.history, state, "", urlWithQuery(query));
  }

  /** Waits for the data of the run the server is answering with (see `Suppression`). */
  private awaitServerData(waitMs: number): void {
    this.suppression = {
      revision: this.data?.revision ?? 0,
      expected: this.data?.expected ?? "",
      until: Date.now() + waitMs,
    };
  }

  private onHistoryEvent(cause: HistoryEventCause, movedPath: boolean): void {
    if (!this.alive()) {
      return;
    }
    if (cause === "popstate") {
      // Streamlit 1.65+ reruns with the entry's query and says it is a
      // navigation; before 1.65 it reruns with its own copy (the latest
      // write), and only this report, saying "popstate", tells the server.
      this.pendingCause = "popstate";
      this.awaitServerData(POPSTATE_QUIET_MS);
      this.coalescer.schedule(POPSTATE_QUIET_MS);
      return;
    }
    this.applyPush();
    const { data } = this;
    if (data && this.pendingWrite && !ownedParamsDiffer(currentQuery(), data.expected, data.owned)) {
      this.pendingWrite = undefined; // the write landed: from now on, `before` is an edit like any other
    }
    if (
      cause === "pushState" &&
      movedPath &&
      data &&
      !this.isSuppressed() &&
      ownedParamsDiffer(currentQuery(), data.expected, data.owned)
    ) {
      this.awaitServerData(PAGE_SWITCH_WAIT_MS);
    }
    this.requestCheck(cause);
  }

  private shouldReplacePush(target: URL): boolean {
    const { data } = this;
    if (!data || !this.alive()) {
      return false;
    }
    const here = window.location;
    // Streamlit rebuilds the URL as pathname + query, dropping the hash, so
    // a push without a hash still counts as staying on the same anchor.
    if (
      target.origin !== here.origin ||
      target.pathname !== here.pathname ||
      (target.hash !== "" && target.hash !== here.hash)
    ) {
      return false;
    }
    const next = stripQuestionMark(target.search);
    const shown = currentQuery();
    // A push of the address bar as it is would only repeat the entry: Streamlit
    // before 1.65 pushes a write that follows Back, ahead of the data saying so.
    return ownedParamsDiffer(next, shown, data.owned) || sameQuery(next, data.expected) || sameQuery(next, shown);
  }
}
