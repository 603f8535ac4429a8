import { afterEach, beforeEach, vi } from "vitest";

import renderUrlBridge from "../src/index";
import { SOCKET_PATCH_KEY } from "../src/patchSocket";
import type { BridgeState, TabInfo, UrlData } from "../src/types";
import type { FrontendRendererArgs } from "@streamlit/component-v2-lib";

export const BASE_PATH = "/app";

type CleanupFn = () => void;

const cleanups: CleanupFn[] = [];

/** Puts the page back to "no bridge ever loaded" so tests cannot leak patches into each other. */
export function resetPage(query = ""): void {
  vi.restoreAllMocks();
  while (cleanups.length > 0) {
    cleanups.pop()?.();
  }
  const host = window as unknown as Record<symbol, unknown>;
  for (const key of Object.getOwnPropertySymbols(host)) {
    if (key.description?.startsWith("st-page-state")) {
      const patch = host[key] as { original?: typeof WebSocket } | undefined;
      if (key.description.endsWith(`.${SOCKET_PATCH_KEY}`) && patch?.original) {
        window.WebSocket = patch.original;
      }
      delete host[key];
    }
  }
  for (const cookie of document.cookie.split(";")) {
    const name = cookie.split("=")[0]?.trim();
    if (name) {
      document.cookie = `${name}=; Max-Age=0; Path=/`;
    }
  }
  const history = window.history as unknown as Record<string, unknown>;
  delete history.pushState;
  delete history.replaceState;
  window.history.replaceState(null, "", BASE_PATH + (query ? `?${query}` : ""));
  window.sessionStorage.clear();
  document.body.innerHTML = "";
}

/** Every test of the calling suite starts on a fresh page at `?query`, with fake timers. */
export function useFreshPage(query: string): void {
  beforeEach(() => {
    vi.useFakeTimers();
    resetPage(query);
  });
  afterEach(() => {
    resetPage();
    vi.useRealTimers();
  });
}

export function bridgeData(overrides: Partial<UrlData> = {}): UrlData {
  return {
    expected: "",
    owned: ["status", "tag"],
    revision: 0,
    push: null,
    held: null,
    tab: null,
    page: "",
    switch: false,
    poll: null,
    ...overrides,
  };
}

export function tabData(info: TabInfo): { tab: TabInfo } {
  return { tab: info };
}

export interface MountedBridge {
  parent: HTMLElement;
  setTriggerValue: ReturnType<typeof vi.fn>;
  setStateValue: ReturnType<typeof vi.fn>;
  /** Streamlit calling the renderer again on the next script run. */
  rerun(data: unknown): void;
  unmount(): void;
  reports(): unknown[];
  corrections(): unknown[];
}

/** Mimics how Streamlit's CCv2 host drives the renderer. */
export function mountBridge(data: unknown, parent = document.createElement("div")): MountedBridge {
  if (!parent.isConnected) {
    document.body.appendChild(parent);
  }
  const setTriggerValue = vi.fn();
  const setStateValue = vi.fn();
  let cleanup: CleanupFn | void;
  const render = (next: unknown): void => {
    const args: FrontendRendererArgs<BridgeState, unknown> = {
      data: next,
      key: "st-bidi-component-test",
      name: "st_page_state_url_bridge",
      parentElement: parent,
      setStateValue,
      setTriggerValue,
    };
    cleanup = renderUrlBridge(args);
  };
  render(data);
  const unmount = (): void => {
    cleanup?.();
    cleanup = undefined;
  };
  cleanups.push(unmount);
  return {
    parent,
    setTriggerValue,
    setStateValue,
    rerun: render,
    unmount,
    reports: () =>
      setTriggerValue.mock.calls.filter(([name]) => name === "report").map(([, value]) => value),
    corrections: () =>
      setTriggerValue.mock.calls.filter(([name]) => name === "identity").map(([, value]) => value),
  };
}

/** What Streamlit's frontend does when Python writes st.query_params. */
export function streamlitWritesQuery(query: string): void {
  window.history.pushState({}, "", window.location.pathname + (query ? `?${query}` : ""));
}

export function currentQuery(): string {
  return window.location.search.replace(/^\?/, "");
}

/**
 * Privacy modes throw on touching `window.sessionStorage` at all; a full
 * quota throws only on writes. Both are simulated on the window getter,
 * because happy-dom binds Storage methods per instance.
 */
export function breakSessionStorage(mode: "access" | "write"): void {
  const denied = (): never => {
    throw new DOMException("denied", mode === "access" ? "SecurityError" : "QuotaExceededError");
  };
  const readOnly = { getItem: () => null, setItem: denied } as unknown as Storage;
  vi.spyOn(window, "sessionStorage", "get").mockImplementation(() =>
    mode === "access" ? denied() : readOnly,
  );
}
