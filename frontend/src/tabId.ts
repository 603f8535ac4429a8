import type { PageMemory } from "./pageGlobal";

export const TAB_ID_STORAGE_KEY = "st-page-state.tab-id";

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

export function createTabId(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") {
    return crypto.randomUUID();
  }
  return randomHex(16);
}

/**
 * `sessionStorage` is per tab and survives a reload, which is exactly the
 * identity a reload should find its state under. It throws in some privacy
 * modes; the in-memory id then still identifies the page for its lifetime.
 */
export function readTabId(memory: PageMemory): string {
  if (memory.tabId !== undefined) {
    return memory.tabId;
  }
  let id: string | null = null;
  try {
    id = window.sessionStorage.getItem(TAB_ID_STORAGE_KEY);
    if (!id) {
      id = createTabId();
      window.sessionStorage.setItem(TAB_ID_STORAGE_KEY, id);
    }
  } catch {
    id ??= createTabId();
  }
  memory.tabId = id;
  return id;
}
