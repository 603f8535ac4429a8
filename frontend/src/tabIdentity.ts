import { pageGlobal } from "./pageGlobal";
import { beginLeaving, forgetShownQueries, justShownQueries } from "./shownQueries";
import type { TabCorrection, TabInfo } from "./types";

/**
 * The tab's identity, kept by the page so that a reload of the same tab finds
 * its state, and two tabs never share one.
 *
 * - `sessionStorage` holds the id: it survives a reload of the tab, and a new
 *   tab starts without it. A duplicated tab (Duplicate tab,
 *   `window.open(location.href)`) starts with a *copy* of it.
 * - As the page goes away (`pagehide`: reload, address-bar edit, close) the id
 *   is written into a cookie that lives 30 seconds (a reload of a loaded
 *   server takes seconds): the browser sends it with the next page's
 *   websocket, so the server knows the tab in its very first run and paints
 *   the restored state at once. A second cookie holds the query strings the
 *   page showed in its last seconds, so the server tells the tab's own URL
 *   from one the person edited. The next page (of any tab) clears both.
 * - The server sends its guess (the cookie's id, an id it minted, or the tab of
 *   this browser's page that went away a moment ago before the bridge loaded,
 *   so left no cookie). When the guess is not this tab's, the keeper answers
 *   with a correction:
 *   - no id stored and the guess came from a cookie: another tab's cookie
 *     (a tab closed a moment ago); this tab takes a new id;
 *   - no id stored and a `recent` guess: kept when this page replaced an
 *     earlier page of the tab (a reload, Back/Forward, a navigation in the
 *     tab: that page's bridge never loaded); a new tab takes a new id;
 *   - another id stored: either this tab was reloaded without its cookie, or
 *     it is a duplicate of a live tab. Live tabs answer on a BroadcastChannel
 *     when asked for their id; an answer means a duplicate, which takes its
 *     own id and starts as a copy of the original (`from`).
 */

export const TAB_ID_STORAGE_KEY = "st-page-state.tab-id";
/**
 * Set while a fork away from another tab's cookie is not yet acknowledged by
 * the server: the id under which the server saved this tab's work so far.
 */
export const TAB_ORIGIN_STORAGE_KEY = "st-page-state.tab-origin";
export const TAB_COOKIE = "st_page_state_tab";
/** The query string the page showed as it went away (identity.py: URL_COOKIE). */
export const URL_COOKIE = "st_page_state_url";
/** How long the cookies live (seconds): enough for a slow reload; the next page clears them. Matches identity.py. */
export const COOKIE_MAX_AGE_S = 30;
/** Longest query string written into the URL cookie (identity.py: MAX_URL_COOKIE). */
export const MAX_URL_COOKIE = 3000;
/** How long a duplicate check waits for a live tab to answer. */
export const DUPLICATE_QUERY_MS = 250;
export const TAB_CHANNEL = "st-page-state.tabs";

/** The browser facilities the keeper uses; injectable so two "tabs" can be tested in one page. */
export interface TabEnv {
  /** The stored id, null when none, undefined when storage cannot be used at all. */
  readStored(): string | null | undefined;
  store(id: string): void;
  /** The unacknowledged fork's origin (see TAB_ORIGIN_STORAGE_KEY), or null. */
  readOrigin(): string | null;
  storeOrigin(id: string | null): void;
  writeCookie(id: string): void;
  clearCookie(): void;
  /** A channel to the other live tabs of this origin, or null where the browser has none. */
  openChannel(onMessage: (message: unknown) => void): ((message: unknown) => void) | null;
  onPageHide(listener: () => void): void;
  newId(): string;
  /** Whether this page replaced an earlier page of the same tab (reload, Back/Forward, a navigation in the tab). */
  replacedPage(): boolean;
}

export interface TabKeeper {
  /** The server's guess for this page's tab (from the tab element or a new session). */
  receive(info: TabInfo): void;
  /** The server says which tab it now holds (after a correction). */
  acknowledge(id: string): void;
  /** Where corrections go from now on (the latest mounted element); queued while there is none. */
  setReporter(reporter: (correction: TabCorrection) => void): void;
  /** An element went away: its reporter no longer delivers (if it is still the current one). */
  dropReporter(reporter: (correction: TabCorrection) => void): void;
  /** This page's tab id, once known. */
  readonly settled: string | undefined;
  /** This page's tab id, once known and held by the server (no correction pending). */
  readonly confirmed: string | undefined;
}

interface Question {
  id: string;
  nonce: string;
  answered: boolean;
}

interface KeeperState {
  server: TabInfo | undefined;
  settled: string | undefined;
  /** A correction was sent that the server has not confirmed yet. */
  unconfirmed: boolean;
  question: Question | undefined;
  reporter: ((correction: TabCorrection) => void) | undefined;
  outbox: TabCorrection[];
}

function isMessage(value: unknown): value is { type: string; id: string; nonce: string } {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const record = value as Record<string, unknown>;
  return typeof record.type === "string" && typeof record.id === "string" && typeof record.nonce === "string";
}

export function createTabKeeper(env: TabEnv): TabKeeper {
  const state: KeeperState = {
    server: undefined,
    settled: undefined,
    unconfirmed: false,
    question: undefined,
    reporter: undefined,
    outbox: [],
  };

  const report = (correction: TabCorrection): void => {
    state.unconfirmed = true;
    forgetShownQueries(); // what the page showed so far came from a guess that was not this tab's

    if (state.reporter) {
      state.reporter(correction);
    } else {
      state.outbox.push(correction);
    }
  };

  const settle = (id: string): void => {
    state.settled = id;
    env.store(id);
  };

  const post = env.openChannel((message) => {
    if (!isMessage(message)) {
      return;
    }
    if (message.type === "who" && message.id === state.settled) {
      post?.({ type: "here", id: message.id, nonce: message.nonce });
    } else if (message.type === "here" && state.question?.nonce === message.nonce) {
      state.question.answered = true;
    }
  });

  /** Asks the live tabs whether one holds `stored`; then settles as a duplicate or as that tab. */
  const checkStored = (stored: string): void => {
    const question: Question = { id: stored, nonce: env.newId(), answered: false };
    state.question = question;
    post?.({ type: "who", id: stored, nonce: question.nonce });
    setTimeout(() => {
      state.question = undefined;
      const server = state.server;
      if (question.answered) {
        const own = server?.source === "minted" ? server.id : env.newId();
        settle(own);
        report({ tab: own, from: stored });
      } else {
        settle(stored);
        if (server?.id !== stored) {
          report({ tab: stored, from: null });
        }
      }
    }, post ? DUPLICATE_QUERY_MS : 0);
  };

  const receive = (info: TabInfo): void => {
    state.server = info;
    env.clearCookie();
    if (state.settled !== undefined) {
      // A new session for a page that already knows its tab (the websocket reconnected).
      if (info.id !== state.settled) {
        report({ tab: state.settled, from: null });
      }
      return;
    }
    if (state.question) {
      return; // the running check uses the latest guess when it ends
    }
    // Storage is the page's to write: anything but an id in our format is absent.
    const raw = env.readStored();
    const stored = raw === undefined || raw === null || isTabId(raw) ? raw : null;
    const rawOrigin = env.readOrigin();
    const origin = rawOrigin !== null && isTabId(rawOrigin) ? rawOrigin : null;
    if (stored === undefined || stored === info.id) {
      settle(info.id); // storage unusable: the server's guess is all there is
    } else if (stored === null && info.source === "minted") {
      settle(info.id);
    } else if (stored === null && info.source === "recent" && env.replacedPage()) {
      settle(info.id); // this tab's earlier page went away before its bridge loaded: its work is there
    } else if (stored === null) {
      const own = env.newId(); // the cookie (or the recent page) was another tab's
      settle(own);
      env.storeOrigin(info.id);
      report({ tab: own, from: null });
    } else if (origin === info.id) {
      // The last page forked away from another tab's cookie and went away
      // before the server confirmed: its work was saved under that id.
      settle(stored);
      report({ tab: stored, from: origin, recover: true });
    } else {
      checkStored(stored);
    }
  };

  const acknowledge = (id: string): void => {
    if (id === state.settled) {
      if (state.unconfirmed) {
        forgetShownQueries(); // the server holds this tab now: what was shown before was the wrong guess
      }
      state.unconfirmed = false;
      env.storeOrigin(null);
    }
  };

  env.onPageHide(() => {
    const server = state.server;
    // Until the server confirms a correction, its saves went to its own
    // guess: the next page must find that state (and correct it again).
    const id = state.unconfirmed || state.settled === undefined ? server?.id : state.settled;
    if (id !== undefined && (state.settled !== undefined || server?.source === "minted" || state.unconfirmed)) {
      env.writeCookie(id);
    }
  });

  return {
    receive,
    acknowledge,
    setReporter(reporter) {
      state.reporter = reporter;
      for (const correction of state.outbox.splice(0)) {
        reporter(correction);
      }
    },
    dropReporter(reporter) {
      if (state.reporter === reporter) {
        state.reporter = undefined;
      }
    },
    get settled() {
      return state.settled;
    },
    get confirmed() {
      return state.unconfirmed ? undefined : state.settled;
    },
  };
}

function randomHex(byteCount: number): string {
  const bytes = new Uint8Array(byteCount);
  if (typeof crypto !== "undefined" && typeof crypto.getRandomValues === "function") {
    crypto.getRandomValues(bytes);
  } else {
    for (let index = 0; index < byteCount; index += 1) {
      bytes[index] = Math.floor(Math.random() * 256);
    }
  }
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

const TAB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Whether `value` is a tab id as `createTabId` makes them (the server accepts no other). */
export function isTabId(value: string): boolean {
  return TAB_ID.test(value);
}

/** A random UUID v4: the only tab id format the server accepts. */
export function createTabId(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") {
    return crypto.randomUUID();
  }
  const hex = randomHex(16).split("");
  hex[12] = "4";
  hex[16] = "89ab"[parseInt(hex[16] ?? "0", 16) % 4] ?? "8";
  const text = hex.join("");
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}

function cookieSuffix(): string {
  return `; Path=/; SameSite=Strict${window.location.protocol === "https:" ? "; Secure" : ""}`;
}

/** The real browser: sessionStorage (which throws in some privacy modes), cookies, BroadcastChannel. */
export const browserTabEnv: TabEnv = {
  readStored() {
    try {
      return window.sessionStorage.getItem(TAB_ID_STORAGE_KEY);
    } catch {
      return undefined;
    }
  },
  store(id) {
    try {
      window.sessionStorage.setItem(TAB_ID_STORAGE_KEY, id);
    } catch {
      // A full or read-only storage: the id still serves this page.
    }
  },
  readOrigin() {
    try {
      return window.sessionStorage.getItem(TAB_ORIGIN_STORAGE_KEY);
    } catch {
      return null;
    }
  },
  storeOrigin(id) {
    try {
      if (id === null) {
        window.sessionStorage.removeItem(TAB_ORIGIN_STORAGE_KEY);
      } else {
        window.sessionStorage.setItem(TAB_ORIGIN_STORAGE_KEY, id);
      }
    } catch {
      // As above.
    }
  },
  writeCookie(id) {
    document.cookie = `${TAB_COOKIE}=${id}; Max-Age=${COOKIE_MAX_AGE_S}${cookieSuffix()}`;
    // The queries the page showed as it left (see shownQueries.ts). "?" first: an empty query is known too.
    const shown = justShownQueries().map((query) => `?${query.slice(1)}`);
    const held = shown.join("").length <= MAX_URL_COOKIE ? shown.map(encodeURIComponent).join("|") : "";
    document.cookie = `${URL_COOKIE}=${held}; Max-Age=${held ? COOKIE_MAX_AGE_S : 0}${cookieSuffix()}`;
  },
  clearCookie() {
    for (const name of [TAB_COOKIE, URL_COOKIE]) {
      document.cookie = `${name}=; Max-Age=0${cookieSuffix()}`;
    }
  },
  openChannel(onMessage) {
    if (typeof BroadcastChannel === "undefined") {
      return null;
    }
    const channel = new BroadcastChannel(TAB_CHANNEL);
    channel.onmessage = (event: MessageEvent<unknown>) => onMessage(event.data);
    return (message) => channel.postMessage(message);
  },
  onPageHide(listener) {
    window.addEventListener("beforeunload", beginLeaving);
    window.addEventListener("pagehide", listener);
  },
  newId: createTabId,
  replacedPage() {
    // The Navigation API lists this tab's history entries of this origin:
    // an earlier one means this page replaced one of ours in the same tab (a
    // new tab, even one opened from the new-tab page, has none).
    const navigation = (window as { navigation?: NavigationLike }).navigation;
    const kind = navigation?.activation?.navigationType;
    if (navigation?.currentEntry) {
      return navigation.currentEntry.index > 0 || kind === "reload" || kind === "traverse";
    }
    try {
      const [entry] = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
      return entry?.type === "reload" || entry?.type === "back_forward";
    } catch {
      return false; // nothing tells: a new tab is the safe answer
    }
  },
};

/** The part of the Navigation API the keeper reads (not in every browser, nor in TypeScript's DOM types yet). */
interface NavigationLike {
  currentEntry?: { index: number } | null;
  activation?: { navigationType?: string } | null;
}

/** This page's keeper (one per page, whichever element starts it). */
export function tabKeeper(): TabKeeper {
  return pageGlobal("tab-keeper", () => createTabKeeper(browserTabEnv));
}
