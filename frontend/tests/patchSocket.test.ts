import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { SOCKET_TAB_PREFIX, socketPatch, withTabProtocol } from "../src/patchSocket";
import { tabKeeper } from "../src/tabIdentity";
import { bridgeData, mountBridge, resetPage, tabData } from "./harness";

const A = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
const M = "11111111-1111-4111-8111-111111111111";
const STREAM = "ws://localhost/app/_stcore/stream";
const RECONNECT = ["streamlit", "xsrf-token", "old-session"];

/** Records what each socket was opened with instead of connecting anywhere. */
class RecordingSocket {
  static readonly opened: { url: string; protocols: unknown }[] = [];
  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
  ) {
    RecordingSocket.opened.push({ url, protocols });
  }
}

describe("tab id on a reconnecting socket", () => {
  it("is added after Streamlit's three reconnect entries", () => {
    expect(withTabProtocol(STREAM, RECONNECT, A)).toEqual([...RECONNECT, `${SOCKET_TAB_PREFIX}${A}`]);
  });

  it("leaves every other socket alone", () => {
    expect(withTabProtocol(STREAM, RECONNECT, undefined)).toBe(RECONNECT); // no tab known yet
    const first = ["streamlit", "xsrf-token"]; // no previous session: a third entry would be read as one
    expect(withTabProtocol(STREAM, first, A)).toBe(first);
    expect(withTabProtocol(STREAM, "streamlit", A)).toBe("streamlit");
    expect(withTabProtocol(STREAM, undefined, A)).toBeUndefined();
    const other = ["chat", "x", "y"];
    expect(withTabProtocol(STREAM, other, A)).toBe(other);
    expect(withTabProtocol("ws://localhost/app/other", RECONNECT, A)).toBe(RECONNECT);
    expect(withTabProtocol("ws://[bad", RECONNECT, A)).toBe(RECONNECT);
  });
});

describe("socket patch in the page", () => {
  beforeEach(() => {
    resetPage();
    RecordingSocket.opened.length = 0;
    window.WebSocket = RecordingSocket as unknown as typeof WebSocket;
  });
  afterEach(() => {
    resetPage();
  });

  it("patches once, and Streamlit's reconnect names the tab the server holds", () => {
    mountBridge(tabData({ id: M, source: "minted" }));
    const patched = window.WebSocket;
    mountBridge(bridgeData());
    expect(window.WebSocket).toBe(patched);
    const socket = new window.WebSocket(STREAM, RECONNECT);
    expect(socket).toBeInstanceOf(RecordingSocket);
    expect(RecordingSocket.opened).toEqual([{ url: STREAM, protocols: [...RECONNECT, `${SOCKET_TAB_PREFIX}${M}`] }]);
    expect(window.WebSocket).not.toBe(RecordingSocket);
    expect(socketPatch(() => undefined).original).toBe(RecordingSocket);
  });

  it("sends nothing while a correction is not confirmed", () => {
    window.sessionStorage.clear();
    mountBridge(tabData({ id: A, source: "cookie" })); // another tab's cookie: this tab forks
    mountBridge(bridgeData());
    const own = tabKeeper().settled;
    new window.WebSocket(STREAM, RECONNECT);
    expect(RecordingSocket.opened[0]?.protocols).toEqual(RECONNECT);
    mountBridge(bridgeData({ tab: own ?? null })); // the server holds the new id
    new window.WebSocket(STREAM, RECONNECT);
    expect(RecordingSocket.opened[1]?.protocols).toEqual([...RECONNECT, `${SOCKET_TAB_PREFIX}${own}`]);
  });

  it("opens the socket even when the keeper fails", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    socketPatch(() => {
      throw new Error("boom");
    });
    new window.WebSocket(STREAM, RECONNECT);
    expect(RecordingSocket.opened[0]?.protocols).toEqual(RECONNECT);
    expect(error).toHaveBeenCalledTimes(1);
  });
});
