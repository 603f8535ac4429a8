import { describe, expect, it, vi } from "vitest";

import { NAVIGATION_PUSH_WAIT_MS, PAGE_SWITCH_WAIT_MS, POPSTATE_QUIET_MS } from "../src/urlSync";
import { historyPatch } from "../src/patchHistory";
import { justShownQueries } from "../src/shownQueries";
import { CHECK_DELAY_MS } from "../src/scheduler";
import {
  BASE_PATH,
  bridgeData,
  currentQuery,
  mountBridge,
  streamlitWritesQuery,
  useFreshPage,
} from "./harness";

/** A write by a script other than Streamlit and the bridge. */
function foreignReplace(query: string): void {
  window.history.replaceState(null, "", `${BASE_PATH}?${query}`);
}

/** Moves the address bar without raising any event, like a user edit before load. */
function silentlySetQuery(query: string): void {
  historyPatch().replaceState.call(window.history, null, "", `${BASE_PATH}${query ? `?${query}` : ""}`);
}

useFreshPage("status=pending");

describe("reports", () => {
  it("stays quiet while the URL matches what the server expects", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending" }));
    vi.advanceTimersByTime(1000);
    expect(bridge.reports()).toEqual([]);
  });

  it("reports a URL that already differs on mount", () => {
    silentlySetQuery("status=active");
    const bridge = mountBridge(bridgeData({ expected: "status=pending", revision: 4 }));
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    expect(bridge.reports()).toEqual([{ query: "status=active", revision: 4, cause: "mount" }]);
  });

  it("coalesces a burst of five replaceState calls into one report", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending", revision: 2 }));
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    for (const value of ["a", "b", "c", "d", "e"]) {
      foreignReplace(`status=${value}`);
      vi.advanceTimersByTime(10);
    }
    expect(bridge.reports()).toEqual([]);
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    expect(bridge.reports()).toEqual([{ query: "status=e", revision: 2, cause: "replaceState" }]);
  });

  it("ignores changes in params the app does not own", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending" }));
    foreignReplace("status=pending&utm_source=mail");
    vi.advanceTimersByTime(1000);
    expect(bridge.reports()).toEqual([]);
  });

  it("reports a hash change that also edits owned params", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending" }));
    silentlySetQuery("status=done");
    window.dispatchEvent(new HashChangeEvent("hashchange"));
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    expect(bridge.reports()).toEqual([{ query: "status=done", revision: 0, cause: "hashchange" }]);
  });

  it("never reports the same query and revision twice", () => {
    const data = bridgeData({ expected: "status=pending", revision: 1 });
    const bridge = mountBridge(data);
    foreignReplace("status=active");
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    expect(bridge.reports()).toHaveLength(1);
    // The rerun the report caused comes back with the same data: no ping-pong.
    bridge.rerun(data);
    foreignReplace("status=active");
    vi.advanceTimersByTime(1000);
    expect(bridge.reports()).toHaveLength(1);
  });

  it("reports again once the server moved to a new revision", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending", revision: 1 }));
    foreignReplace("status=active");
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    // Python rejected it and wrote the URL back: the data first, then Streamlit's push.
    bridge.rerun(bridgeData({ expected: "status=pending", revision: 2 }));
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    streamlitWritesQuery("status=pending");
    foreignReplace("status=active");
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    expect(bridge.reports()).toEqual([
      { query: "status=active", revision: 1, cause: "replaceState" },
      { query: "status=active", revision: 2, cause: "replaceState" },
    ]);
  });

  it("never reports the address bar from before a write while Streamlit's push of it is on its way", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending", revision: 0 }));
    for (const [revision, status] of [[1, "active"], [2, "done"], [3, "pending"]] as const) {
      vi.advanceTimersByTime(CHECK_DELAY_MS);
      bridge.rerun(bridgeData({ expected: `status=${status}`, revision }));
      // A garbage collection on the server can hold the write back for a while.
      vi.advanceTimersByTime(PAGE_SWITCH_WAIT_MS * 3);
      expect(bridge.reports()).toEqual([]);
      streamlitWritesQuery(`status=${status}`);
    }
    vi.advanceTimersByTime(PAGE_SWITCH_WAIT_MS * 3);
    expect(bridge.reports()).toEqual([]);
  });

  it("reports the address bar from before a write once the write landed, and another edit meanwhile", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending", revision: 0 }));
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    bridge.rerun(bridgeData({ expected: "status=active", revision: 1 }));
    foreignReplace("status=done"); // neither the old query nor the new one: an edit
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    streamlitWritesQuery("status=active");
    foreignReplace("status=pending"); // back to the query from before the write: an edit now
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    expect(bridge.reports()).toEqual([
      { query: "status=done", revision: 1, cause: "replaceState" },
      { query: "status=pending", revision: 1, cause: "replaceState" },
    ]);
  });

  it("reports an edit back after the server adopted an edit without writing", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending", revision: 1 }));
    foreignReplace("status=active");
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    bridge.rerun(bridgeData({ expected: "status=active", revision: 1 }));
    foreignReplace("status=pending");
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    expect(bridge.reports()).toEqual([
      { query: "status=active", revision: 1, cause: "replaceState" },
      { query: "status=pending", revision: 1, cause: "replaceState" },
    ]);
  });

  it("does not re-report after a remount", () => {
    const parent = document.createElement("div");
    const first = mountBridge(bridgeData({ expected: "status=pending", revision: 1 }), parent);
    foreignReplace("status=active");
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    first.unmount();
    const second = mountBridge(bridgeData({ expected: "status=pending", revision: 1 }), parent);
    vi.advanceTimersByTime(1000);
    expect(first.reports()).toHaveLength(1);
    expect(second.reports()).toEqual([]);
  });

  it("stops reporting through an unmounted element, and the next element reports what it missed", () => {
    const first = mountBridge(bridgeData({ expected: "status=pending" }));
    first.unmount();
    foreignReplace("status=active");
    vi.advanceTimersByTime(1000);
    expect(first.reports()).toEqual([]);
    expect(historyPatch().listeners.size).toBe(1); // the page's one sync keeps watching
    const second = mountBridge(bridgeData({ expected: "status=pending" }));
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    expect(second.reports()).toEqual([{ query: "status=active", revision: 0, cause: "replaceState" }]);
  });

  it("retires an element Streamlit removed without cleanup", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending" }));
    bridge.parent.remove();
    foreignReplace("status=active");
    vi.advanceTimersByTime(1000);
    expect(bridge.reports()).toEqual([]);
  });

  it("keeps one subscription when Streamlit re-renders the same element", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending" }));
    bridge.rerun(bridgeData({ expected: "status=pending" }));
    bridge.rerun(bridgeData({ expected: "status=pending" }));
    expect(historyPatch().listeners.size).toBe(1);
    foreignReplace("status=active");
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    expect(bridge.reports()).toHaveLength(1);
  });

  it("tolerates malformed data without throwing", () => {
    const bridge = mountBridge({ nonsense: true } as never);
    foreignReplace("status=active");
    vi.advanceTimersByTime(1000);
    expect(bridge.reports()).toEqual([]);
  });
});

describe("Back/Forward", () => {
  it("leaves popstate to Streamlit's own rerun", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending", revision: 3 }));
    silentlySetQuery("status=earlier");
    window.dispatchEvent(new PopStateEvent("popstate"));
    // Streamlit answers a history navigation with replaceState, which must not leak a report.
    foreignReplace("status=earlier");
    vi.advanceTimersByTime(POPSTATE_QUIET_MS / 2);
    expect(bridge.reports()).toEqual([]);
    bridge.rerun(bridgeData({ expected: "status=earlier", revision: 3 }));
    vi.advanceTimersByTime(POPSTATE_QUIET_MS * 2);
    expect(bridge.reports()).toEqual([]);
  });

  it("stays quiet on a rerun that did not come from the navigation", () => {
    const data = bridgeData({ expected: "status=pending", revision: 3 });
    const bridge = mountBridge(data);
    silentlySetQuery("status=earlier");
    window.dispatchEvent(new PopStateEvent("popstate"));
    bridge.rerun(data);
    vi.advanceTimersByTime(POPSTATE_QUIET_MS - CHECK_DELAY_MS);
    expect(bridge.reports()).toEqual([]);
  });

  it("checks normally when Streamlit's rerun never lands, and says the URL came from popstate", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending", revision: 3 }));
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    silentlySetQuery("status=earlier");
    window.dispatchEvent(new PopStateEvent("popstate"));
    vi.advanceTimersByTime(POPSTATE_QUIET_MS - 1);
    expect(bridge.reports()).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(bridge.reports()).toEqual([{ query: "status=earlier", revision: 3, cause: "popstate" }]);
  });

  it("reports Back when Streamlit's rerun kept its own copy of the query (Streamlit before 1.65)", () => {
    const data = bridgeData({ expected: "status=pending", revision: 4 });
    const bridge = mountBridge(data);
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    silentlySetQuery("status=earlier");
    window.dispatchEvent(new PopStateEvent("popstate"));
    bridge.rerun(data); // the server ran with the latest write: nothing changed there
    vi.advanceTimersByTime(POPSTATE_QUIET_MS);
    expect(bridge.reports()).toEqual([{ query: "status=earlier", revision: 4, cause: "popstate" }]);
  });

  it("to another page's entry waits for that page's data, never reports through the page left", () => {
    window.history.pushState({}, "", `${BASE_PATH}/forms?q=`);
    const bridge = mountBridge(bridgeData({ expected: "q=", owned: ["q"], revision: 5, page: "forms" }));
    window.history.pushState({}, "", `${BASE_PATH}/counter?count=1`);
    window.history.back(); // to the Forms entry
    window.history.forward(); // and at once forward to Counter's, before any data came
    expect(window.location.pathname).toBe(`${BASE_PATH}/counter`);
    bridge.rerun(bridgeData({ expected: "q=", owned: ["q"], revision: 6, page: "forms" })); // the Forms run, ending late
    vi.advanceTimersByTime(POPSTATE_QUIET_MS * 2);
    expect(bridge.reports()).toEqual([]); // a report would rerun Forms with ?count=1
    bridge.rerun(bridgeData({ expected: "count=1", owned: ["count"], revision: 7, page: "counter" }));
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    expect(bridge.reports()).toEqual([]);
    expect(window.location.pathname + window.location.search).toBe(`${BASE_PATH}/counter?count=1`);
  });

  it("to another page's entry still reports what that page refuses, once its data came", () => {
    window.history.pushState({}, "", `${BASE_PATH}/counter?count=abc`);
    window.history.pushState({}, "", `${BASE_PATH}/forms?q=`);
    const bridge = mountBridge(bridgeData({ expected: "q=", owned: ["q"], revision: 5, page: "forms" }));
    window.history.back();
    vi.advanceTimersByTime(POPSTATE_QUIET_MS);
    expect(bridge.reports()).toEqual([]);
    bridge.rerun(bridgeData({ expected: "count=0", owned: ["count"], revision: 6, page: "counter" }));
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    expect(bridge.reports()).toEqual([{ query: "count=abc", revision: 6, cause: "popstate" }]);
  });

  it("works with a real history.back()", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending", revision: 1 }));
    window.history.pushState({}, "", `${BASE_PATH}/other`);
    window.history.pushState({}, "", `${BASE_PATH}?status=active`);
    bridge.rerun(bridgeData({ expected: "status=active", revision: 2 }));
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    window.history.back();
    expect(window.location.pathname).toBe(`${BASE_PATH}/other`);
    vi.advanceTimersByTime(POPSTATE_QUIET_MS / 2);
    expect(bridge.reports()).toEqual([]);
  });
});

describe("history mode", () => {
  it("turns Streamlit's push for an owned change into a replace", () => {
    mountBridge(bridgeData({ expected: "status=pending" }));
    const before = window.history.length;
    streamlitWritesQuery("status=active");
    streamlitWritesQuery("status=active&tag=a");
    expect(window.history.length).toBe(before);
    expect(currentQuery()).toBe("status=active&tag=a");
  });

  it("turns a push of exactly the expected query into a replace", () => {
    mountBridge(bridgeData({ expected: "status=pending&widget=1" }));
    const before = window.history.length;
    streamlitWritesQuery("status=pending&widget=1");
    expect(window.history.length).toBe(before);
  });

  it("turns a push of the query already shown into a replace (a write after Back, before its data)", () => {
    silentlySetQuery("status=earlier");
    mountBridge(bridgeData({ expected: "status=latest" }));
    const before = window.history.length;
    streamlitWritesQuery("status=earlier");
    expect(window.history.length).toBe(before);
  });

  it("drops the hash like Streamlit and still replaces", () => {
    silentlySetQuery("status=pending");
    historyPatch().replaceState.call(window.history, null, "", `${BASE_PATH}?status=pending#section`);
    mountBridge(bridgeData({ expected: "status=pending" }));
    const before = window.history.length;
    streamlitWritesQuery("status=active");
    expect(window.history.length).toBe(before);
  });

  it("lets page navigation and foreign-only pushes add entries", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending" }));
    const before = window.history.length;
    window.history.pushState({}, "", "/other_page?status=pending");
    expect(window.history.length).toBe(before + 1);
    bridge.rerun(bridgeData({ expected: "status=pending" }));
    window.history.pushState({}, "", "/other_page?status=pending&widget=2");
    expect(window.history.length).toBe(before + 2);
    window.history.pushState({}, "", "/other_page?status=pending&widget=2#anchor");
    expect(window.history.length).toBe(before + 3);
  });

  it("adds exactly one entry per user change in push mode, the previous one holding `from`", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending", revision: 0 }));
    const before = window.history.length;
    streamlitWritesQuery("status=active");
    bridge.rerun(
      bridgeData({ expected: "status=active", revision: 1, push: { from: "status=pending" } }),
    );
    expect(window.history.length).toBe(before + 1);
    expect(currentQuery()).toBe("status=active");
    // Further runs of the same revision add nothing.
    bridge.rerun(
      bridgeData({ expected: "status=active", revision: 1, push: { from: "status=pending" } }),
    );
    expect(window.history.length).toBe(before + 1);
    window.history.back();
    expect(currentQuery()).toBe("status=pending");
    // Python adopts the Back navigation; the same push must not be replayed.
    bridge.rerun(
      bridgeData({ expected: "status=pending", revision: 1, push: { from: "status=pending" } }),
    );
    bridge.rerun(
      bridgeData({ expected: "status=pending", revision: 1, push: { from: "status=pending" } }),
    );
    expect(window.history.length).toBe(before + 1);
    vi.advanceTimersByTime(POPSTATE_QUIET_MS * 2);
    expect(bridge.reports()).toEqual([]);
  });

  it("waits for Streamlit's write when the push data arrives first", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending", revision: 0 }));
    const before = window.history.length;
    bridge.rerun(
      bridgeData({ expected: "status=active", revision: 1, push: { from: "status=pending" } }),
    );
    expect(window.history.length).toBe(before);
    streamlitWritesQuery("status=active");
    expect(window.history.length).toBe(before + 1);
    vi.advanceTimersByTime(1000);
    expect(bridge.reports()).toEqual([]);
    window.history.back();
    expect(currentQuery()).toBe("status=pending");
  });

  it("handles each push revision once, also across a remount", () => {
    const parent = document.createElement("div");
    const first = mountBridge(bridgeData({ expected: "status=pending" }), parent);
    streamlitWritesQuery("status=active");
    const pushData = bridgeData({ expected: "status=active", revision: 1, push: { from: "status=pending" } });
    first.rerun(pushData);
    const after = window.history.length;
    first.unmount();
    mountBridge(pushData, parent);
    expect(window.history.length).toBe(after);
  });

  it("knows Streamlit's push for the server's write: its data came first", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending", revision: 0 }));
    const before = window.history.length;
    for (const [revision, status] of [[1, "active"], [2, "done"], [3, "pending"]] as const) {
      vi.advanceTimersByTime(CHECK_DELAY_MS);
      bridge.rerun(bridgeData({ expected: `status=${status}`, revision }));
      streamlitWritesQuery(`status=${status}`);
      vi.advanceTimersByTime(CHECK_DELAY_MS * 20);
    }
    expect(bridge.reports()).toEqual([]);
    expect(window.history.length).toBe(before);
  });

  it("lets the data of Streamlit's push land within a render, without a report", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending", revision: 0 }));
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    streamlitWritesQuery("status=active");
    vi.advanceTimersByTime(CHECK_DELAY_MS - 1);
    bridge.rerun(bridgeData({ expected: "status=active", revision: 1 }));
    vi.advanceTimersByTime(PAGE_SWITCH_WAIT_MS * 2);
    expect(bridge.reports()).toEqual([]);
  });

  it("tags a push whose data never came in time with the old revision (stale for Python)", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending", revision: 4 }));
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    streamlitWritesQuery("status=active");
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    bridge.rerun(bridgeData({ expected: "status=active", revision: 5 }));
    vi.advanceTimersByTime(PAGE_SWITCH_WAIT_MS * 2);
    expect(bridge.reports()).toEqual([{ query: "status=active", revision: 4, cause: "pushState" }]);
  });

  it("reports another script's push of an owned param as fast as a replace, every time", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending", revision: 2 }));
    const expected: unknown[] = [];
    let revision = 2;
    for (const status of ["done", "active", "done"]) {
      vi.advanceTimersByTime(CHECK_DELAY_MS);
      window.history.pushState(null, "", `${BASE_PATH}?status=${status}`);
      vi.advanceTimersByTime(CHECK_DELAY_MS - 1);
      expect(bridge.reports()).toEqual(expected);
      vi.advanceTimersByTime(1);
      expected.push({ query: `status=${status}`, revision, cause: "pushState" });
      expect(bridge.reports()).toEqual(expected);
      // Python adopts it and writes the URL: data first, then Streamlit's push (a no-op here).
      revision += 1;
      bridge.rerun(bridgeData({ expected: `status=${status}`, revision }));
      streamlitWritesQuery(`status=${status}`);
    }
    vi.advanceTimersByTime(PAGE_SWITCH_WAIT_MS * 2);
    expect(bridge.reports()).toEqual(expected);
  });

  it("waits for the new page's data after a push to another path", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending", revision: 2 }));
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    // Streamlit's page navigation: the new path with its cached query, at the start of the page's run.
    window.history.pushState({}, "", "/other_page?status=active");
    vi.advanceTimersByTime(PAGE_SWITCH_WAIT_MS - CHECK_DELAY_MS);
    expect(bridge.reports()).toEqual([]);
    bridge.rerun(bridgeData({ expected: "status=active&view=grid", owned: ["view"], revision: 3 }));
    streamlitWritesQuery("status=active&view=grid");
    vi.advanceTimersByTime(PAGE_SWITCH_WAIT_MS * 2);
    expect(bridge.reports()).toEqual([]);
  });

  it("checks a push to another path once the new page's data did not come", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending", revision: 2 }));
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    window.history.pushState({}, "", "/other_page?status=active");
    vi.advanceTimersByTime(PAGE_SWITCH_WAIT_MS - 1);
    expect(bridge.reports()).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(bridge.reports()).toEqual([{ query: "status=active", revision: 2, cause: "pushState" }]);
  });

  it("raises no report for its own history writes", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending" }));
    streamlitWritesQuery("status=active");
    bridge.rerun(bridgeData({ expected: "status=active", revision: 1, push: { from: "status=pending" } }));
    vi.advanceTimersByTime(1000);
    expect(bridge.reports()).toEqual([]);
  });
});

/** Streamlit's page navigation: the new path, pushed with the query its frontend had cached. */
function navigationPush(path: string, cachedQuery: string): void {
  window.history.pushState({}, "", path + (cachedQuery ? `?${cachedQuery}` : ""));
}

describe("page switches", () => {
  const NEW_PAGE = "/app/other_page";
  /** The new page's data: its first write held for the bridge, from the query Streamlit carried over. */
  const switched = (from: string, revision = 2, page: string | true = "other_page") =>
    bridgeData({ expected: "view=grid", owned: ["view"], revision, held: { from }, page: page === true ? null : page, switch: true });

  it("are one history entry with the new page's params, whichever half comes first", () => {
    for (const [index, dataFirst] of [false, true].entries()) {
      const revision = 2 + index; // each held write has its own revision
      window.history.pushState({}, "", `${BASE_PATH}?status=pending`);
      const bridge = mountBridge(bridgeData({ expected: "status=pending", revision: 1 }));
      const before = window.history.length;
      if (dataFirst) {
        bridge.rerun(switched("status=pending", revision)); // the address bar still shows the previous page
        vi.advanceTimersByTime(CHECK_DELAY_MS);
        expect(window.location.pathname).toBe(BASE_PATH);
      }
      navigationPush(NEW_PAGE, "status=pending");
      if (!dataFirst) {
        vi.advanceTimersByTime(CHECK_DELAY_MS);
        bridge.rerun(switched("status=pending", revision));
      }
      vi.advanceTimersByTime(PAGE_SWITCH_WAIT_MS);
      expect(window.history.length).toBe(before + 1);
      expect(window.location.pathname + window.location.search).toBe(`${NEW_PAGE}?view=grid`);
      expect(bridge.reports()).toEqual([]);
      window.history.back();
      vi.advanceTimersByTime(CHECK_DELAY_MS);
      expect(window.location.pathname + window.location.search).toBe(`${BASE_PATH}?status=pending`);
      bridge.unmount();
    }
  });

  it("report nothing until both halves came, however long the new page's run takes", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending", revision: 1 }));
    bridge.unmount(); // a new page: Streamlit removes the element, mounts the new page's later
    navigationPush(NEW_PAGE, ""); // Streamlit had not cached the query: the old page's params are gone
    vi.advanceTimersByTime(PAGE_SWITCH_WAIT_MS - 1);
    const page = mountBridge(switched(""));
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    expect([...bridge.reports(), ...page.reports()]).toEqual([]);
    expect(currentQuery()).toBe("view=grid");
  });

  it("adopt an edit made while the new page's run was still going", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending", revision: 1 }));
    navigationPush(NEW_PAGE, "status=pending");
    window.history.replaceState(null, "", `${NEW_PAGE}?view=list`); // another script, before the data
    vi.advanceTimersByTime(CHECK_DELAY_MS * 3);
    expect(bridge.reports()).toEqual([]);
    bridge.rerun(switched("status=pending"));
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    expect(bridge.reports()).toEqual([{ query: "view=list", revision: 2, cause: "replaceState" }]);
    expect(currentQuery()).toBe("view=list"); // the held write did not overwrite the edit
  });

  it("adopt an edit made right after the switch", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending", revision: 1 }));
    navigationPush(NEW_PAGE, "status=pending");
    bridge.rerun(switched("status=pending"));
    window.history.replaceState(null, "", `${NEW_PAGE}?view=list`);
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    expect(bridge.reports()).toEqual([{ query: "view=list", revision: 2, cause: "replaceState" }]);
  });

  it("never put a page's write on the entry of the page the person went to next", () => {
    for (const dataFirst of [false, true]) {
      const bridge = mountBridge(bridgeData({ expected: "status=pending", revision: 1 }));
      const stale = bridgeData({ expected: "q=", owned: ["q"], revision: 10 + Number(dataFirst), held: { from: "" }, page: "forms", switch: true });
      if (dataFirst) {
        bridge.rerun(stale); // the Forms run ended just as the person clicked the next page
      }
      navigationPush(NEW_PAGE, "");
      if (!dataFirst) {
        bridge.rerun(stale);
      }
      vi.advanceTimersByTime(CHECK_DELAY_MS);
      expect(window.location.pathname + window.location.search).toBe(NEW_PAGE);
      bridge.rerun(switched("", 20 + Number(dataFirst)));
      vi.advanceTimersByTime(PAGE_SWITCH_WAIT_MS);
      expect(window.location.pathname + window.location.search).toBe(`${NEW_PAGE}?view=grid`);
      expect(bridge.reports()).toEqual([]);
      bridge.unmount();
      historyPatch().pushState.call(window.history, {}, "", `${BASE_PATH}?status=pending`); // no event
    }
  });

  it("apply the held write at once when the bridge loaded after Streamlit's push", () => {
    navigationPush(NEW_PAGE, ""); // the person switched pages before the bridge's module loaded
    const page = mountBridge(switched(""));
    expect(currentQuery()).toBe("view=grid");
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    expect(page.reports()).toEqual([]);
  });

  it("apply the held write when Streamlit's push never comes", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending", revision: 1 }));
    bridge.rerun(switched("status=pending"));
    vi.advanceTimersByTime(NAVIGATION_PUSH_WAIT_MS + CHECK_DELAY_MS);
    expect(currentQuery()).toBe("view=grid");
    navigationPush(NEW_PAGE, "view=grid"); // a later navigation is not this switch's other half
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    expect(currentQuery()).toBe("view=grid");
    expect(bridge.reports()).toEqual([]);
  });

  it("end with Back: the entry's page is Streamlit's to rerun, and checks resume", () => {
    window.history.pushState({}, "", `${BASE_PATH}?status=start`);
    const bridge = mountBridge(bridgeData({ expected: "status=start", revision: 1 }));
    navigationPush(NEW_PAGE, "status=start");
    window.history.back();
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    expect(window.location.pathname).toBe(BASE_PATH);
    bridge.rerun(bridgeData({ expected: "status=start", revision: 1 })); // Streamlit's run of the entry's page
    window.history.replaceState(null, "", `${BASE_PATH}?status=other`);
    vi.advanceTimersByTime(POPSTATE_QUIET_MS); // well before the abandoned switch would have expired
    expect(bridge.reports()).toEqual([{ query: "status=other", revision: 1, cause: "replaceState" }]);
  });
});

describe("the server's first write, held for the bridge", () => {
  it("leaves the loaded URL among what the page showed (a reload may ask for it)", () => {
    silentlySetQuery("n=26");
    mountBridge(bridgeData({ expected: "n=27", owned: ["n"], held: { from: "n=26" } }));
    expect(currentQuery()).toBe("n=27");
    expect(justShownQueries()).toEqual(["?n=26", "?n=27"]);
  });

  it("replaces the loaded URL with the run's URL: no history entry, no report", () => {
    silentlySetQuery("n=7");
    const before = window.history.length;
    const bridge = mountBridge(
      bridgeData({ expected: "n=7&status=pending", owned: ["n", "status"], held: { from: "n=7" } }),
    );
    expect(currentQuery()).toBe("n=7&status=pending");
    expect(window.history.length).toBe(before);
    vi.advanceTimersByTime(1000);
    expect(bridge.reports()).toEqual([]);
  });

  it("applies the newest of several writes held before the bridge loaded", () => {
    // The page loaded at ?status=pending; the person changed things twice before the bridge's script
    // came: the server tells the query Streamlit's frontend still holds, which the address bar shows.
    const bridge = mountBridge(bridgeData({ expected: "status=done", revision: 2, held: { from: "status=pending" } }));
    expect(currentQuery()).toBe("status=done");
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    expect(bridge.reports()).toEqual([]);
  });

  it("applies held writes in a row, also when Streamlit showed it only every other run's data", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=a", revision: 1, held: { from: "status=pending" } }));
    expect(currentQuery()).toBe("status=a");
    // Runs 2 and 3 held their writes too; the page rendered only run 3's data.
    bridge.rerun(bridgeData({ expected: "status=c", revision: 3, held: { from: "status=b" } }));
    expect(currentQuery()).toBe("status=c");
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    expect(bridge.reports()).toEqual([]);
  });

  it("keeps the hash and applies the write once", () => {
    historyPatch().replaceState.call(window.history, null, "", `${BASE_PATH}?n=7#part`);
    const data = bridgeData({ expected: "n=7&status=pending", owned: ["n", "status"], held: { from: "n=7" } });
    const bridge = mountBridge(data);
    expect(window.location.hash).toBe("#part");
    silentlySetQuery("n=7");
    bridge.rerun(data);
    expect(currentQuery()).toBe("n=7"); // a second render of the same data must not rewrite a later edit
  });

  it("leaves an address bar that already moved on to the normal check", () => {
    silentlySetQuery("n=9");
    const bridge = mountBridge(
      bridgeData({ expected: "n=7&status=pending", owned: ["n", "status"], held: { from: "n=7" }, revision: 0 }),
    );
    expect(currentQuery()).toBe("n=9");
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    expect(bridge.reports()).toEqual([{ query: "n=9", revision: 0, cause: "mount" }]);
  });

  it("reports an edit made before the first data at once, ahead of a tab correction", () => {
    // A new tab: a script edits the address bar as soon as the page shows;
    // a second run (the tab's identity corrected) may answer within the
    // coalescing delay, and Streamlit's push of its write would hide the edit.
    silentlySetQuery("q=Dune");
    const bridge = mountBridge(
      bridgeData({ expected: "q=1&max=50", owned: ["q", "max"], held: { from: "q=1&max=1000" }, revision: 0 }),
    );
    expect(bridge.reports()).toEqual([{ query: "q=Dune", revision: 0, cause: "mount" }]);
    bridge.rerun(bridgeData({ expected: "q=Dune&max=50", owned: ["q", "max"], revision: 1 }));
    streamlitWritesQuery("q=Dune&max=50");
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    expect(bridge.reports()).toHaveLength(1);
  });

  it("reports at once an edit made before a new revision's data, unless it is the write on its way", () => {
    silentlySetQuery("q=1");
    const bridge = mountBridge(bridgeData({ expected: "q=1", owned: ["q"], revision: 0 }));
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    silentlySetQuery("q=Dune"); // neither what the server expected nor what it will write
    bridge.rerun(bridgeData({ expected: "q=2", owned: ["q"], revision: 1 }));
    expect(bridge.reports()).toEqual([{ query: "q=Dune", revision: 1, cause: "data" }]);
  });

  it("matches the loaded URL whatever its percent-encoding", () => {
    silentlySetQuery("q=a%20b");
    mountBridge(bridgeData({ expected: "q=a+b&status=x", owned: ["q", "status"], held: { from: "q=a+b" } }));
    expect(currentQuery()).toBe("q=a+b&status=x");
  });
});

describe("store poll", () => {
  const polls = (bridge: ReturnType<typeof mountBridge>): number =>
    bridge.setTriggerValue.mock.calls.filter(([name]) => name === "poll").length;

  it("runs the page again when the server waits on its store, once per request", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending", poll: 1000 }));
    vi.advanceTimersByTime(999);
    expect(polls(bridge)).toBe(0);
    vi.advanceTimersByTime(1);
    expect(polls(bridge)).toBe(1);
    vi.advanceTimersByTime(10_000);
    expect(polls(bridge)).toBe(1);
  });

  it("each run's data replaces the request, and data without one cancels it", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending", poll: 1000 }));
    vi.advanceTimersByTime(600);
    bridge.rerun(bridgeData({ expected: "status=pending", poll: 2000 }));
    vi.advanceTimersByTime(1500);
    expect(polls(bridge)).toBe(0);
    vi.advanceTimersByTime(500);
    expect(polls(bridge)).toBe(1);
    bridge.rerun(bridgeData({ expected: "status=pending", poll: 1000 }));
    bridge.rerun(bridgeData({ expected: "status=pending" }));
    vi.advanceTimersByTime(10_000);
    expect(polls(bridge)).toBe(1);
  });

  it("a healthy store asks for nothing: no extra run", () => {
    const bridge = mountBridge(bridgeData({ expected: "status=pending" }));
    vi.advanceTimersByTime(60_000);
    expect(polls(bridge)).toBe(0);
  });
});
