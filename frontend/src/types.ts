import type { FrontendState } from "@streamlit/component-v2-lib";

/**
 * What Python sends on every script run. The bridge trusts none of it blindly
 * (see `readBridgeData`), because a malformed payload must never break the
 * page's own history handling.
 */
export interface BridgeData {
  /** Query string (no "?") the server holds after this run. */
  expected: string;
  /** Param names the app owns; the bridge ignores every other param. */
  owned: string[];
  /** Bumped each time the server writes the URL; lets Python drop stale reports. */
  revision: number;
  /** Set when this revision is a user change in "push" history mode. */
  push: { from: string } | null;
  /** The tab identity the server already knows. */
  tabId: string | null;
}

export type ReportCause =
  | "pushState"
  | "replaceState"
  | "hashchange"
  | "mount"
  | "data";

export interface UrlReport {
  query: string;
  revision: number;
  cause: ReportCause;
}

/** Keys match the Python callbacks `on_report_change` / `on_tab_id_change`. */
export interface BridgeState extends FrontendState {
  report: UrlReport | null;
  tab_id: string | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

export function readBridgeData(raw: unknown): BridgeData {
  const source = isRecord(raw) ? raw : {};
  const push = isRecord(source.push) ? source.push : null;
  return {
    expected: typeof source.expected === "string" ? source.expected.replace(/^\?/, "") : "",
    owned: Array.isArray(source.owned)
      ? source.owned.filter((name): name is string => typeof name === "string")
      : [],
    revision: typeof source.revision === "number" ? source.revision : 0,
    push: push ? { from: typeof push.from === "string" ? push.from.replace(/^\?/, "") : "" } : null,
    tabId: typeof source.tabId === "string" ? source.tabId : null,
  };
}
