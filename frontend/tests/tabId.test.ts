import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { pageMemory } from "../src/pageGlobal";
import { TAB_ID_STORAGE_KEY, createTabId, readTabId } from "../src/tabId";
import { breakSessionStorage, resetPage } from "./harness";

describe("tab id", () => {
  beforeEach(() => {
    resetPage();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("creates an id and keeps it in sessionStorage", () => {
    const id = readTabId(pageMemory());
    expect(id).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(window.sessionStorage.getItem(TAB_ID_STORAGE_KEY)).toBe(id);
  });

  it("reuses the id a reload of the same tab finds", () => {
    window.sessionStorage.setItem(TAB_ID_STORAGE_KEY, "earlier-id");
    expect(readTabId(pageMemory())).toBe("earlier-id");
  });

  it("falls back to an in-memory id when sessionStorage throws", () => {
    breakSessionStorage("access");
    const memory = pageMemory();
    const id = readTabId(memory);
    expect(id).toBeTruthy();
    expect(readTabId(memory)).toBe(id);
    vi.restoreAllMocks();
    expect(window.sessionStorage.getItem(TAB_ID_STORAGE_KEY)).toBeNull();
  });

  it("keeps the id it read even when storage can be read but not written", () => {
    breakSessionStorage("write");
    const memory = pageMemory();
    const id = readTabId(memory);
    expect(id).toBeTruthy();
    expect(readTabId(memory)).toBe(id);
  });

  it("works without crypto.randomUUID", () => {
    vi.stubGlobal("crypto", { getRandomValues: (bytes: Uint8Array) => bytes.fill(171) });
    expect(createTabId()).toBe("ab".repeat(16));
  });

  it("gives different ids to different tabs", () => {
    expect(createTabId()).not.toBe(createTabId());
  });
});
