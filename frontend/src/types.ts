import type { FrontendState } from "@streamlit/component-v2-lib";

/**
 * What Python sends. The bridge trusts none of it blindly (see the readers
 * below), because a malformed payload must never break the page's own
 * history handling.
 */

/** The URL element's data, after every full run (and a fragment run that wrote the URL). */
export interface UrlData {
  /** Query string (no "?") the server holds after this run. */
  expected: string;
  /** Param names the app owns; the bridge ignores every other param. */
  owned: string[];
  /** Bumped each time the server writes the URL; lets Python drop stale reports. */
  revision: number;
  /** Set when this revision is a user change in "push" history mode. */
  push: { from: string } | null;
  /**
   * Set while the server leaves its writes to the bridge: replace `from` with `expected` (sent with
   * every run until a write goes through Streamlit: the bridge may have missed the run that held it).
   */
  held: { from: string } | null;
  /** Set once the server applied a tab correction (then in every run): the tab it holds. */
  tab: string | null;
  /** The URL path of the run's page ("" for the app's default page); null when the server cannot tell. */
  page: string | null;
  /**
   * The run showed another page than the previous one (a page switch, not Back/Forward):
   * Streamlit pushes the new page's path itself, before or after this data arrives.
   */
  switch: boolean;
  /** Set while the server waits on its store: run again after this many milliseconds (see storePoll.ts). */
  poll: number | null;
}

/**
 * Where the server's guess came from: the reload cookie, a new id, the reconnecting socket (patchSocket.ts),
 * or the tab of this browser's page that went away a moment ago before its bridge loaded (recent_tabs.py).
 */
export type TabSource = "cookie" | "minted" | "socket" | "recent";

/** The tab element's data: the server's guess of this tab's id, and where the guess came from. */
export interface TabInfo {
  id: string;
  source: TabSource;
}

export type ReportCause = "pushState" | "replaceState" | "popstate" | "hashchange" | "mount" | "data";

export interface UrlReport {
  query: string;
  revision: number;
  cause: ReportCause;
}

/**
 * The bridge's correction of the server's tab guess. `from`: start from that
 * tab's state (a duplicated tab copies its original). `recover`: `from` holds
 * this tab's own work, saved there before the server confirmed an earlier
 * correction; the server prefers what `tab` itself has stored.
 */
export interface TabCorrection {
  tab: string;
  from: string | null;
  recover?: true;
}

/** Trigger keys, matching the Python callbacks `on_report_change` / `on_identity_change`. */
export interface BridgeState extends FrontendState {
  report: UrlReport | null;
  identity: TabCorrection | null;
  /** A rerun the server asked for while it waits on its store (the value only makes it new). */
  poll: number | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function stripQuestionMark(text: string): string {
  return text.replace(/^\?/, "");
}

function fromField(value: unknown): { from: string } | null {
  if (!isRecord(value)) {
    return null;
  }
  return { from: typeof value.from === "string" ? stripQuestionMark(value.from) : "" };
}

/** The URL element's data, or null when `raw` is not one (the tab element). */
export function readUrlData(raw: unknown): UrlData | null {
  if (!isRecord(raw) || typeof raw.expected !== "string") {
    return null;
  }
  return {
    expected: stripQuestionMark(raw.expected),
    owned: Array.isArray(raw.owned)
      ? raw.owned.filter((name): name is string => typeof name === "string")
      : [],
    revision: typeof raw.revision === "number" && Number.isFinite(raw.revision) ? raw.revision : 0,
    push: fromField(raw.push),
    held: fromField(raw.held),
    tab: typeof raw.tab === "string" ? raw.tab : null,
    page: typeof raw.page === "string" ? raw.page : null,
    switch: raw.switch === true,
    poll: typeof raw.poll === "number" && raw.poll >= 0 ? Math.min(raw.poll, 60_000) : null,
  };
}

export function readTabInfo(raw: unknown): TabInfo | null {
  const tab = isRecord(raw) && typeof raw.expected !== "string" ? raw.tab : undefined;
  if (!isRecord(tab) || typeof tab.id !== "string" || tab.id === "") {
    return null;
  }
  const source = tab.source === "cookie" || tab.source === "socket" || tab.source === "recent" ? tab.source : "minted";
  return { id: tab.id, source };
}
