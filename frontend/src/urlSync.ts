import { pageGlobal, pageMemory, rememberOnce, type PageMemory } from "./pageGlobal";
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
 * Streamlit's page navigation pushes the new page's path when that page's run
 * starts, and the run's data (with the new page's `owned` params) comes at its
 * end: a slow page (a chart drawn after its widgets) takes seconds. How long
 * the bridge holds the switch open for that data (see `PageSwitch`) before it
 * checks like after any edit.
 *
 * A push that keeps the path needs no such wait: when Streamlit pushes the
 * server's URL write, the same run's data reached the page before it
 * (Python sends the URL element first), so the push either matches
 * `expected` already or is followed by the data within a render, well
 * inside the check's coalescing delay. Another script's push is therefore
 * checked, and reported, as fast as a replace.
 */
export const PAGE_SWITCH_WAIT_MS = 10_000;

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

/**
 * A page switch in progress: one of its two halves came, the other is awaited.
 * Streamlit pushes the new page's path (with the query its frontend had
 * cached) when it handles the new page's navigation, early in the new page's
 * run; the new page's data (`switch`) comes at the run's end, with its first
 * URL write held for the bridge (`held`). Once both came, the held write is
 * applied with a replace on the switch's entry, so a page switch is one history
 * entry holding the new page's path and params. Nothing is reported
 * meanwhile: the address bar and the data the bridge holds belong to
 * different pages.
 */
type PageSwitch = (
  | { awaiting: "data"; /** The path Streamlit pushed. */ path: string }
  | { awaiting: "push"; /** The data's page (`UrlData.page`; true: unknown). */ page: string | true }
) & {
  /** Past this (`Date.now()`), the switch is over whatever came. */
  until: number;
};

/**
 * Whether an address-bar path is a page's (`UrlData.page`): its URL path ends
 * it. The default page ("") and an unknown page (true) match any path.
 */
function pathOfPage(path: string, page: string | true): boolean {
  return page === true || page === "" || path.replace(/\/+$/, "").endsWith(`/${page}`);
}

/**
 * How long the new page's data may come before Streamlit's push of its path:
 * the push follows within a render, unless the bridge loaded after it.
 */
export const NAVIGATION_PUSH_WAIT_MS = 1000;

/** Where reports go: the URL element of the current run (elements come and go with pages). */
export interface Reporter {
  send(report: UrlReport): void;
  /** False once Streamlit removed the element, with or without calling its cleanup. */
  isAttached(): boolean;
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
 * The page's URL sync, one per page load (not per element: Streamlit unmounts
 * the URL element on every page switch, and the history events of the switch
 * itself happen while no element is mounted). It compares the address bar
 * with what the server expects, reports owned params that differ (coalesced,
 * once per news) through the current element, applies the server's held first
 * write and push-mode history entries, turns Streamlit's pushes of owned
 * changes into replaces, and makes a page switch one history entry.
 */
export class UrlSync {
  private data: UrlData | undefined;
  /** The data before `data` (undefined: `data` is this page load's first). */
  private previous: UrlData | undefined;
  private reporter: Reporter | undefined;
  private pendingCause: ReportCause | undefined;
  private suppression: Suppression | undefined;
  private pendingWrite: PendingWrite | undefined;
  private pageSwitch: PageSwitch | undefined;
  /** The query of the last report sent: the server knows it, and answers it with its next write. */
  private lastReported: string | undefined;
  private readonly memory: PageMemory = pageMemory();
  private readonly patch: HistoryPatch = historyPatch();
  private readonly coalescer: Coalescer = createCoalescer(() => this.check());

  constructor() {
    subscribeHistory({
      onHistoryEvent: (cause, movedPath) => this.onHistoryEvent(cause, movedPath),
      shouldReplacePush: (target) => this.shouldReplacePush(target),
    });
  }

  /** An element rendered with `data` (Streamlit calls the renderer on every run); it reports from now on. */
  update(data: UrlData, reporter: Reporter): void {
    this.reporter = reporter;
    const previous = this.data;
    this.previous = previous;
    this.data = data;
    const editedBeforeData = this.awaitWrite(previous);
    const { suppression } = this;
    if (suppression && (data.revision !== suppression.revision || data.expected !== suppression.expected)) {
      this.suppression = undefined; // Streamlit's own Back/Forward run has landed.
    }
    if (data.switch || (this.currentSwitch()?.awaiting === "data" && data.page !== null)) {
      this.switchDataCame(data, previous);
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

  /** An element went away: reports wait for the next one (the sync keeps watching the address bar). */
  release(reporter: Reporter): void {
    if (this.reporter === reporter) {
      this.reporter = undefined;
    }
  }

  /** The element reports go through, if Streamlit still shows it. */
  private liveReporter(): Reporter | undefined {
    if (this.reporter && !this.reporter.isAttached()) {
      this.reporter = undefined;
    }
    return this.reporter;
  }

  /**
   * The new page's data came. It completes a switch whose push (or Back/Forward) came
   * when it is that page's path, or waits for the push; data of a page the person
   * already left is stale.
   */
  private switchDataCame(data: UrlData, previous: UrlData | undefined): void {
    const page = data.page ?? true;
    const pending = this.currentSwitch();
    if (pending?.awaiting === "data") {
      if (pathOfPage(pending.path, page)) {
        this.pageSwitch = undefined;
      } else {
        this.discardHeld(data); // an earlier page's run ended after the next switch began
      }
      return;
    }
    const known = typeof page === "string" && page !== "";
    // The first data of this page load: a push of its path came before the bridge listened.
    const arrived = previous === undefined || (known && pathOfPage(window.location.pathname, page));
    this.pageSwitch = arrived ? undefined : { awaiting: "push", page, until: Date.now() + NAVIGATION_PUSH_WAIT_MS };
  }

  /** A held write that must never be applied (its page is not the one in the address bar). */
  private discardHeld(data: UrlData | undefined): void {
    if (data?.held) {
      rememberOnce(this.memory.appliedHeld, JSON.stringify([data.revision, data.expected]));
    }
  }

  /** The page switch in progress, if any (an expired one ends here). */
  private currentSwitch(): PageSwitch | undefined {
    if (this.pageSwitch && Date.now() >= this.pageSwitch.until) {
      this.pageSwitch = undefined;
    }
    return this.pageSwitch;
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
    const reporter = this.liveReporter();
    const pageSwitch = this.currentSwitch();
    if (pageSwitch) {
      this.coalescer.schedule(pageSwitch.until - Date.now());
      return; // checked again once the switch is complete
    }
    this.applyHeld(); // a switch that ended without Streamlit's push still gets its write
    if (!data || !reporter) {
      return; // the next element's data checks again
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
      reporter.send({ query, revision: data.revision, cause });
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
    // A held write comes from the bridge itself (`applyHeld`), not from a push of Streamlit's.
    this.pendingWrite =
      written && differs && !data.held && showsServerView(query, previous, this.lastReported, data.owned)
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
    const { data, previous } = this;
    const held = data?.held;
    const shown = currentQuery();
    // What the address bar shows if nothing but the bridge wrote it: `from`, or the previous data's URL
    // (the bridge saw no data of the runs in between).
    const views = [held?.from, previous?.expected];
    if (!data || !held || this.currentSwitch() || !views.some((view) => view !== undefined && sameQuery(shown, view))) {
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
    if (cause === "popstate") {
      // Back/Forward: Streamlit reruns the entry's page with its URL. To
      // another page's entry, that is a page switch: until the new page's data
      // comes, the data the bridge holds is the page left's, and a report
      // through its element would rerun the page left with the entry's query
      // (Streamlit then pushes that page's path again, which cuts off Forward).
      // Data that does not name its page cannot be told apart: then only the
      // quiet period below guards.
      this.pageSwitch =
        movedPath && this.data?.page != null
          ? { awaiting: "data", path: window.location.pathname, until: Date.now() + PAGE_SWITCH_WAIT_MS }
          : undefined;
      // Streamlit 1.65+ reruns with the entry's query and says it is a
      // navigation; before 1.65 it reruns with its own copy (the latest
      // write), and only this report, saying "popstate", tells the server.
      this.pendingCause = "popstate";
      this.awaitServerData(POPSTATE_QUIET_MS);
      this.coalescer.schedule(POPSTATE_QUIET_MS);
      return;
    }
    if (cause === "pushState" && movedPath && this.data) {
      // Streamlit's page navigation (or another script's): this entry is the switch's.
      const pending = this.currentSwitch();
      const path = window.location.pathname;
      if (pending?.awaiting === "push" && pathOfPage(path, pending.page)) {
        this.pageSwitch = undefined;
        this.applyHeld();
      } else {
        this.discardHeld(pending?.awaiting === "push" ? this.data : undefined); // the person went elsewhere
        this.pageSwitch = { awaiting: "data", path, until: Date.now() + PAGE_SWITCH_WAIT_MS };
      }
    }
    this.applyPush();
    const { data } = this;
    if (data && this.pendingWrite && !ownedParamsDiffer(currentQuery(), data.expected, data.owned)) {
      this.pendingWrite = undefined; // the write landed: from now on, `before` is an edit like any other
    }
    this.requestCheck(cause);
  }

  private shouldReplacePush(target: URL): boolean {
    const { data } = this;
    if (!data) {
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

/** The page's one URL sync (see `UrlSync`), made on the first URL element's data. */
export function urlSync(): UrlSync {
  return pageGlobal("url-sync", () => new UrlSync());
}
