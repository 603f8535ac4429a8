import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import {
  COOKIE_MAX_AGE_S,
  MAX_URL_COOKIE,
  URL_COOKIE,
  DUPLICATE_QUERY_MS,
  TAB_COOKIE,
  TAB_ID_STORAGE_KEY,
  createTabId,
  createTabKeeper,
  isTabId,
  tabKeeper,
  type TabEnv,
  type TabKeeper,
} from "../src/tabIdentity";
import type { TabCorrection } from "../src/types";
import { breakSessionStorage, bridgeData, mountBridge, resetPage, tabData } from "./harness";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Several "tabs" in one test: each has its own storage and cookie jar; the channel joins them. */
class FakeBrowser {
  private readonly listeners: ((message: unknown) => void)[] = [];
  cookie: string | undefined;
  private ids = 0;

  /** A tab whose sessionStorage holds `stored` ("unusable": storage throws); `replaced`: a reload or navigation. */
  tab(
    stored: string | null | "unusable" = null,
    replaced = false,
  ): {
    env: TabEnv;
    storage: { id: string | null | undefined; origin: string | null };
    hide: () => void;
  } {
    const storage: { id: string | null | undefined; origin: string | null } = {
      id: stored === "unusable" ? undefined : stored,
      origin: null,
    };
    let hide = (): void => undefined;
    const env: TabEnv = {
      readStored: () => storage.id,
      store: (id) => {
        if (storage.id !== undefined) {
          storage.id = id;
        }
      },
      readOrigin: () => storage.origin,
      storeOrigin: (id) => {
        storage.origin = id;
      },
      writeCookie: (id) => {
        this.cookie = id;
      },
      clearCookie: () => {
        this.cookie = undefined;
      },
      openChannel: (onMessage) => {
        this.listeners.push(onMessage);
        return (message) => {
          for (const listener of this.listeners) {
            if (listener !== onMessage) {
              listener(message);
            }
          }
        };
      },
      onPageHide: (listener) => {
        hide = listener;
      },
      newId: () => `00000000-0000-4000-8000-${String(++this.ids).padStart(12, "0")}`,
      replacedPage: () => replaced,
    };
    return { env, storage, hide: () => hide() };
  }
}

function collect(keeper: TabKeeper): TabCorrection[] {
  const corrections: TabCorrection[] = [];
  keeper.setReporter((c) => corrections.push(c));
  return corrections;
}

const A = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
const M = "11111111-1111-4111-8111-111111111111";

describe("tab keeper", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("first visit: keeps the server's new id and says nothing", () => {
    const browser = new FakeBrowser();
    const { env, storage } = browser.tab(null);
    const keeper = createTabKeeper(env);
    const corrections = collect(keeper);
    keeper.receive({ id: M, source: "minted" });
    expect(storage.id).toBe(M);
    expect(keeper.settled).toBe(M);
    expect(corrections).toEqual([]);
  });

  it("reload: the cookie names this tab; nothing to say, and the cookie is cleared", () => {
    const browser = new FakeBrowser();
    browser.cookie = A;
    const { env } = browser.tab(A);
    const keeper = createTabKeeper(env);
    const corrections = collect(keeper);
    keeper.receive({ id: A, source: "cookie" });
    expect(corrections).toEqual([]);
    expect(browser.cookie).toBeUndefined();
  });

  it("a reload before the bridge ever loaded: the recent guess is this tab's, kept and stored", () => {
    const browser = new FakeBrowser();
    const { env, storage, hide } = browser.tab(null, true);
    const keeper = createTabKeeper(env);
    const corrections = collect(keeper);
    keeper.receive({ id: A, source: "recent" });
    expect(corrections).toEqual([]);
    expect(storage.id).toBe(A);
    hide();
    expect(browser.cookie).toBe(A); // and the next reload finds it the usual way
  });

  it("a new tab given a recent guess: another tab's page, so this tab takes its own id", () => {
    const browser = new FakeBrowser();
    const { env, storage } = browser.tab(null, false);
    const keeper = createTabKeeper(env);
    const corrections = collect(keeper);
    keeper.receive({ id: A, source: "recent" });
    expect(corrections).toHaveLength(1);
    expect(corrections[0]).toEqual({ tab: storage.id, from: null });
    expect(storage.id).not.toBe(A);
  });

  it("a recent guess for a tab that holds its own id: the stored id wins", () => {
    const browser = new FakeBrowser();
    const { env } = browser.tab(M, true);
    const keeper = createTabKeeper(env);
    const corrections = collect(keeper);
    keeper.receive({ id: A, source: "recent" });
    vi.runAllTimers();
    expect(corrections).toEqual([{ tab: M, from: null }]);
  });

  it.each(["<img src=x onerror=alert(1)>", "x".repeat(5000), A.toUpperCase(), `${A} `])(
    "a stored value that is not an id (%s) counts as none: a first visit keeps the server's id",
    (garbage) => {
      const browser = new FakeBrowser();
      const { env, storage } = browser.tab(garbage);
      storage.origin = garbage;
      const keeper = createTabKeeper(env);
      const corrections = collect(keeper);
      keeper.receive({ id: M, source: "minted" });
      vi.runAllTimers();
      expect(keeper.settled).toBe(M);
      expect(storage.id).toBe(M);
      expect(corrections).toEqual([]);
    },
  );

  it("leaving the page writes the tab's id into the cookie for the next page", () => {
    const browser = new FakeBrowser();
    const tab = browser.tab(null);
    const keeper = createTabKeeper(tab.env);
    keeper.receive({ id: M, source: "minted" });
    tab.hide();
    expect(browser.cookie).toBe(M);
  });

  it("a new tab that finds another tab's cookie takes an id of its own", () => {
    const browser = new FakeBrowser();
    const { env, storage } = browser.tab(null);
    const keeper = createTabKeeper(env);
    const corrections = collect(keeper);
    keeper.receive({ id: A, source: "cookie" });
    expect(keeper.settled).not.toBe(A);
    expect(storage.id).toBe(keeper.settled);
    expect(corrections).toEqual([{ tab: keeper.settled, from: null }]);
  });

  it("until the server confirms a fork, leaving writes the id its work was saved under", () => {
    const browser = new FakeBrowser();
    const tab = browser.tab(null);
    const keeper = createTabKeeper(tab.env);
    const corrections = collect(keeper);
    keeper.receive({ id: A, source: "cookie" }); // another tab's cookie: fork
    const own = corrections[0]?.tab ?? "";
    tab.hide();
    expect(browser.cookie).toBe(A);
    // The next page: the server restores A (with this tab's work); the keeper
    // remembers the fork and asks for a copy into its own id.
    const next = createTabKeeper(tab.env);
    const again = collect(next);
    next.receive({ id: A, source: "cookie" });
    expect(again).toEqual([{ tab: own, from: A, recover: true }]);
    next.acknowledge(own);
    tab.hide();
    expect(browser.cookie).toBe(own);
    expect(tab.storage.origin).toBeNull();
  });

  it("a duplicated tab asks, hears the original, and forks as its copy", () => {
    const browser = new FakeBrowser();
    const original = createTabKeeper(browser.tab(A).env);
    original.receive({ id: A, source: "cookie" });
    const duplicate = browser.tab(A); // Duplicate tab copies sessionStorage
    const keeper = createTabKeeper(duplicate.env);
    const corrections = collect(keeper);
    keeper.receive({ id: M, source: "minted" });
    expect(keeper.settled).toBeUndefined();
    vi.advanceTimersByTime(DUPLICATE_QUERY_MS);
    expect(corrections).toEqual([{ tab: M, from: A }]);
    expect(duplicate.storage.id).toBe(M);
    expect(original.settled).toBe(A);
  });

  it("a tab reloaded without its cookie hears nobody and stays itself", () => {
    const browser = new FakeBrowser();
    const keeper = createTabKeeper(browser.tab(A).env);
    const corrections = collect(keeper);
    keeper.receive({ id: M, source: "minted" });
    vi.advanceTimersByTime(DUPLICATE_QUERY_MS);
    expect(corrections).toEqual([{ tab: A, from: null }]);
    expect(keeper.settled).toBe(A);
  });

  it("a duplicate that got a third tab's cookie forks with an id of its own", () => {
    const browser = new FakeBrowser();
    createTabKeeper(browser.tab(A).env).receive({ id: A, source: "cookie" });
    const keeper = createTabKeeper(browser.tab(A).env);
    const corrections = collect(keeper);
    keeper.receive({ id: M, source: "cookie" });
    vi.advanceTimersByTime(DUPLICATE_QUERY_MS);
    expect(corrections).toHaveLength(1);
    expect(corrections[0]?.from).toBe(A);
    expect(corrections[0]?.tab).not.toBe(M);
    expect(corrections[0]?.tab).not.toBe(A);
  });

  it("two duplicates opened at once both fork", () => {
    const browser = new FakeBrowser();
    createTabKeeper(browser.tab(A).env).receive({ id: A, source: "cookie" });
    const first = createTabKeeper(browser.tab(A).env);
    const second = createTabKeeper(browser.tab(A).env);
    const firstSaid = collect(first);
    const secondSaid = collect(second);
    first.receive({ id: M, source: "minted" });
    second.receive({ id: "22222222-2222-4222-8222-222222222222", source: "minted" });
    vi.advanceTimersByTime(DUPLICATE_QUERY_MS);
    expect(firstSaid).toEqual([{ tab: M, from: A }]);
    expect(secondSaid).toEqual([{ tab: "22222222-2222-4222-8222-222222222222", from: A }]);
  });

  it("a new session for a page that knows its tab is corrected to it", () => {
    const browser = new FakeBrowser();
    const keeper = createTabKeeper(browser.tab(null).env);
    const corrections = collect(keeper);
    keeper.receive({ id: A, source: "minted" });
    keeper.receive({ id: M, source: "minted" }); // the websocket reconnected to a new session
    expect(corrections).toEqual([{ tab: A, from: null }]);
  });

  it("trusts the server when storage cannot be used", () => {
    const browser = new FakeBrowser();
    const keeper = createTabKeeper(browser.tab("unusable").env);
    const corrections = collect(keeper);
    keeper.receive({ id: A, source: "cookie" });
    expect(keeper.settled).toBe(A);
    expect(corrections).toEqual([]);
  });

  it("keeps corrections until an element can deliver them", () => {
    const browser = new FakeBrowser();
    const keeper = createTabKeeper(browser.tab(null).env);
    keeper.receive({ id: A, source: "cookie" });
    const delivered: TabCorrection[] = [];
    const reporter = (c: TabCorrection): void => {
      delivered.push(c);
    };
    keeper.setReporter(reporter);
    expect(delivered).toHaveLength(1);
    keeper.dropReporter(reporter);
  });

  it("recognises its own ids only", () => {
    expect(isTabId(createTabId())).toBe(true);
    expect(isTabId(A)).toBe(true);
    expect(isTabId("not-a-tab")).toBe(false);
    expect(isTabId(`${A}\n`)).toBe(false);
  });

  it("makes UUID v4 ids, also without crypto.randomUUID", () => {
    expect(createTabId()).toMatch(UUID);
    vi.stubGlobal("crypto", { getRandomValues: (bytes: Uint8Array) => bytes.fill(171) });
    expect(createTabId()).toMatch(UUID);
    vi.unstubAllGlobals();
    expect(createTabId()).not.toBe(createTabId());
  });
});

describe("tab keeper in the page", () => {
  beforeEach(() => {
    resetPage();
  });
  afterEach(() => {
    resetPage();
  });

  it("keeps the server's id in sessionStorage and never in the URL", () => {
    mountBridge(tabData({ id: M, source: "minted" }));
    expect(window.sessionStorage.getItem(TAB_ID_STORAGE_KEY)).toBe(M);
    expect(window.location.href).not.toContain(M);
    expect(document.cookie).not.toContain(M);
  });

  it("writes a short-lived cookie on pagehide, and the next page clears it", () => {
    mountBridge(tabData({ id: M, source: "minted" }));
    window.dispatchEvent(new Event("pagehide"));
    expect(document.cookie).toContain(`${TAB_COOKIE}=${M}`);
    expect(COOKIE_MAX_AGE_S).toBe(30); // a reload of a loaded server takes seconds
    tabKeeper().receive({ id: M, source: "cookie" });
    expect(document.cookie).not.toContain(M);
  });

  it("writes the query strings the page showed as it left beside it, and the next page clears them too", () => {
    window.history.replaceState(null, "", "/?n=5&note=a%20b");
    mountBridge(tabData({ id: M, source: "minted" }));
    window.dispatchEvent(new Event("pagehide"));
    expect(document.cookie).toContain(`${URL_COOKIE}=${encodeURIComponent("?n=5&note=a%20b")}`);
    // A reload asks for the URL shown as it began; a URL write may still reach the page before it goes.
    window.dispatchEvent(new Event("beforeunload"));
    window.history.replaceState(null, "", "/?n=6");
    window.dispatchEvent(new Event("pagehide"));
    const both = [encodeURIComponent("?n=5&note=a%20b"), encodeURIComponent("?n=6")].join("|");
    expect(document.cookie).toContain(`${URL_COOKIE}=${both}`);
    tabKeeper().receive({ id: M, source: "cookie" });
    expect(document.cookie).not.toMatch(new RegExp(`${URL_COOKIE}=[^;]`)); // cleared (happy-dom keeps the name)
  });

  it("writes no query string longer than the cookie can hold", () => {
    window.history.replaceState(null, "", `/?text=${"x".repeat(MAX_URL_COOKIE)}`);
    mountBridge(tabData({ id: M, source: "minted" }));
    window.dispatchEvent(new Event("pagehide"));
    expect(document.cookie).toContain(`${TAB_COOKIE}=${M}`);
    expect(document.cookie).not.toMatch(new RegExp(`${URL_COOKIE}=[^;]`));
  });

  it("delivers a correction through the URL element, which Python mounts in every run", () => {
    window.sessionStorage.clear();
    const tabElement = mountBridge(tabData({ id: A, source: "cookie" }));
    expect(tabElement.corrections()).toEqual([]);
    const urlElement = mountBridge(bridgeData());
    expect(urlElement.corrections()).toHaveLength(1);
    tabElement.unmount();
    urlElement.rerun(bridgeData());
    expect(urlElement.corrections()).toHaveLength(1);
  });

  it("keeps working when sessionStorage throws", () => {
    breakSessionStorage("access");
    const bridge = mountBridge(tabData({ id: A, source: "cookie" }));
    expect(bridge.corrections()).toEqual([]);
    expect(tabKeeper().settled).toBe(A);
  });
});
