import { beforeEach, describe, expect, it, vi } from "vitest";

import { historyPatch, subscribeHistory, type HistoryListener } from "../src/patchHistory";
import { BASE_PATH, bridgeData, mountBridge, resetPage } from "./harness";

function listener(overrides: Partial<HistoryListener> = {}): HistoryListener {
  return { onHistoryEvent: vi.fn(), shouldReplacePush: () => false, ...overrides };
}

describe("history patch", () => {
  beforeEach(() => {
    resetPage();
  });

  it("patches once however often it is asked", () => {
    const first = historyPatch();
    const patchedPush = window.history.pushState;
    const second = historyPatch();
    expect(second).toBe(first);
    expect(window.history.pushState).toBe(patchedPush);
    expect(first.pushState).not.toBe(patchedPush);
  });

  it("is shared by a second copy of the bundle", async () => {
    const first = historyPatch();
    const patchedPush = window.history.pushState;
    vi.resetModules();
    const copy = await import("../src/patchHistory");
    expect(copy.historyPatch).not.toBe(historyPatch);
    expect(copy.historyPatch()).toBe(first);
    expect(window.history.pushState).toBe(patchedPush);
  });

  it("delivers one event per write after the bridge mounts twice and remounts", () => {
    const parent = document.createElement("div");
    const bridge = mountBridge(bridgeData(), parent);
    bridge.rerun(bridgeData());
    bridge.unmount();
    mountBridge(bridgeData(), parent);
    const spy = listener();
    subscribeHistory(spy);
    window.history.replaceState(null, "", `${BASE_PATH}?x=1`);
    expect(spy.onHistoryEvent).toHaveBeenCalledTimes(1);
    expect(historyPatch().listeners.size).toBe(2);
  });

  it("reports the kind of write, popstate and hashchange", () => {
    const spy = listener();
    subscribeHistory(spy);
    window.history.pushState(null, "", `${BASE_PATH}?a=1`);
    window.history.replaceState(null, "", `${BASE_PATH}?a=2`);
    window.dispatchEvent(new PopStateEvent("popstate"));
    window.dispatchEvent(new HashChangeEvent("hashchange"));
    expect(vi.mocked(spy.onHistoryEvent).mock.calls.map(([cause]) => cause)).toEqual([
      "pushState",
      "replaceState",
      "popstate",
      "hashchange",
    ]);
  });

  it("tells a write that changed the path from one that changed only the query", () => {
    const spy = listener();
    subscribeHistory(spy);
    window.history.pushState(null, "", `${BASE_PATH}?a=1`);
    window.history.pushState(null, "", `${BASE_PATH}/other?a=1`);
    window.history.replaceState(null, "", `${BASE_PATH}/other?a=2`);
    window.history.replaceState(null, "", `${BASE_PATH}?a=2`);
    expect(vi.mocked(spy.onHistoryEvent).mock.calls).toEqual([
      ["pushState", false],
      ["pushState", true],
      ["replaceState", false],
      ["replaceState", true],
    ]);
  });

  it("turns a push into a replace when a listener asks", () => {
    subscribeHistory(listener({ shouldReplacePush: (target) => target.search === "?a=2" }));
    const before = window.history.length;
    window.history.pushState(null, "", `${BASE_PATH}?a=1`);
    expect(window.history.length).toBe(before + 1);
    window.history.pushState(null, "", `${BASE_PATH}?a=2`);
    expect(window.history.length).toBe(before + 1);
    expect(window.location.search).toBe("?a=2");
  });

  it("keeps the page's write working when a listener throws", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    subscribeHistory(
      listener({
        onHistoryEvent: () => {
          throw new Error("boom");
        },
        shouldReplacePush: () => {
          throw new Error("boom");
        },
      }),
    );
    expect(() => window.history.pushState(null, "", `${BASE_PATH}?a=3`)).not.toThrow();
    expect(window.location.search).toBe("?a=3");
    expect(error).toHaveBeenCalled();
  });

  it("unsubscribes only the given listener", () => {
    const kept = listener();
    const dropped = listener();
    subscribeHistory(kept);
    const unsubscribe = subscribeHistory(dropped);
    unsubscribe();
    window.history.replaceState(null, "", `${BASE_PATH}?b=1`);
    expect(kept.onHistoryEvent).toHaveBeenCalledTimes(1);
    expect(dropped.onHistoryEvent).not.toHaveBeenCalled();
  });
});
