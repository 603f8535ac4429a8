import { pageGlobal } from "./pageGlobal";

/**
 * Streamlit's websocket reconnects by itself when the connection drops. Behind
 * a load balancer the new socket may reach another server process, which
 * starts a new session that does not know the tab: its first run (often a
 * click the person made) would work on the defaults, and the keeper's later
 * correction could not undo that. No page unload happens, so the reload
 * cookie is not written either.
 *
 * So every websocket Streamlit opens to its stream *after* the bridge loaded
 * (a reconnect: the page's first socket predates the bridge) carries the
 * tab's id as one more entry of its `Sec-WebSocket-Protocol` list, after
 * Streamlit's own three (`streamlit`, a token, the previous session id),
 * which Streamlit reads by position and leaves the rest alone. Unlike a
 * cookie it belongs to this one socket, so tabs reconnecting at the same
 * moment never see each other's id.
 */

export const SOCKET_TAB_PREFIX = "st-page-state.tab.";
const STREAM_PATH = "/_stcore/stream";
/** Streamlit's own entries on a reconnect; with fewer, an added entry would take a position it reads. */
const STREAMLIT_ENTRIES = 3;

export const SOCKET_PATCH_KEY = "socket-patch";

export interface SocketPatch {
  /** The constructor found before patching (tests put it back). */
  readonly original: typeof WebSocket;
  /** The id a new session of this page must start as, when known. */
  tab: () => string | undefined;
}

function isStream(url: string | URL): boolean {
  try {
    return new URL(String(url), window.location.href).pathname.endsWith(STREAM_PATH);
  } catch {
    return false;
  }
}

/** The protocol list for a new socket: unchanged, or Streamlit's reconnect entries plus the tab's. */
export function withTabProtocol(
  url: string | URL,
  protocols: string | string[] | undefined,
  tab: string | undefined,
): string | string[] | undefined {
  if (
    tab === undefined ||
    !Array.isArray(protocols) ||
    protocols.length !== STREAMLIT_ENTRIES ||
    protocols[0] !== "streamlit" ||
    !isStream(url)
  ) {
    return protocols;
  }
  return [...protocols, `${SOCKET_TAB_PREFIX}${tab}`];
}

function install(): SocketPatch {
  const original = window.WebSocket;
  const patch: SocketPatch = { original, tab: () => undefined };
  if (typeof original !== "function") {
    return patch;
  }
  window.WebSocket = new Proxy(original, {
    construct(target, args: unknown[], newTarget: Function) {
      const [url, protocols, ...rest] = args;
      let tab: string | undefined;
      try {
        tab = patch.tab();
      } catch (error) {
        console.error("st-page-state bridge:", error);
      }
      const chosen = withTabProtocol(url as string | URL, protocols as string | string[] | undefined, tab);
      return Reflect.construct(target, chosen === protocols ? args : [url, chosen, ...rest], newTarget);
    },
  });
  return patch;
}

/** Patches at most once per page; `tab` tells the id to send (the page's keeper). */
export function socketPatch(tab: () => string | undefined): SocketPatch {
  const patch = pageGlobal(SOCKET_PATCH_KEY, install);
  patch.tab = tab;
  return patch;
}
