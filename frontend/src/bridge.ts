import type { FrontendRendererArgs } from "@streamlit/component-v2-lib";

import { pageMemory, rememberOnce } from "./pageGlobal";
import { historyPatch, subscribeHistory, type HistoryEventCause } from "./patchHistory";
import { ownedParamsDiffer, sameQuery, stripQuestionMark } from "./query";
import { createCoalescer } from "./scheduler";
import { readTabId } from "./tabId";
import { readBridgeData, type BridgeData, type BridgeState, type ReportCause } from "./types";

/**
 * Streamlit reruns by itself on Back/Forward; how long the bridge stays quiet
 * waiting for that run's data before it checks the URL like after any edit.
 */
export const POPSTATE_QUIET_MS = 1500;

/**
 * Streamlit applies the server's URL write with `pushState` as soon as the
 * message arrives, while the same run's new data reaches the bridge only
 * after a render; how long a push that leaves `expected` waits for that data
 * before it is checked (and reported, if it was another script's push).
 */
export const SERVER_WRITE_WAIT_MS = 1000;

export type BridgeArgs = FrontendRendererArgs<BridgeState, unknown>;

export interface BridgeInstance {
  update(args: BridgeArgs): void;
  dispose(): void;
  readonly disposed: boolean;
}

/** No check until data other than this `revision`/`expected` arrives, or `until` passes. */
interface Suppression {
  revision: number;
  expected: string;
  until: number;
}

function currentQuery(): string {
  return stripQuestionMark(window.location.search);
}

function isAttached(parent: HTMLElement | ShadowRoot): boolean {
  return parent instanceof ShadowRoot ? parent.host.isConnected : parent.isConnected;
}

/**
 * One mounted bridge. Streamlit calls the renderer again with fresh `args` on
 * every run, so everything here is driven by the latest data and idempotent.
 */
export function createBridge(parent: HTMLElement | ShadowRoot): BridgeInstance {
  const memory = pageMemory();
  const patch = historyPatch();
  let args: BridgeArgs | undefined;
  let data: BridgeData | undefined;
  let pendingCause: ReportCause | undefined;
  let suppression: Suppression | undefined;
  let disposed = false;

  const isSuppressed = (): boolean => suppression !== undefined && Date.now() < suppression.until;

  /** Streamlit may drop an element without calling its cleanup; a detached bridge retires itself. */
  const alive = (): boolean => {
    if (!disposed && !isAttached(parent)) {
      dispose();
    }
    return !disposed;
  };

  const check = (): void => {
    if (!args || !data || !alive()) {
      return;
    }
    if (suppression) {
      const remaining = suppression.until - Date.now();
      if (remaining > 0) {
        coalescer.schedule(remaining);
        return;
      }
      suppression = undefined;
    }
    const cause = pendingCause ?? "data";
    pendingCause = undefined;
    const query = currentQuery();
    if (!ownedParamsDiffer(query, data.expected, data.owned)) {
      return;
    }
    // `expected` is part of the key: after Python adopts an edit without
    // writing the URL the revision stays, yet an edit back is new news.
    const key = JSON.stringify([data.revision, data.expected, query]);
    if (rememberOnce(memory.reported, key)) {
      args.setTriggerValue("report", { query, revision: data.revision, cause });
    }
  };

  const coalescer = createCoalescer(check);

  const requestCheck = (cause: ReportCause): void => {
    // A history event says more about why the URL moved than the data that
    // happened to arrive in the same burst.
    if (cause !== "data" || pendingCause === undefined) {
      pendingCause = cause;
    }
    coalescer.schedule();
  };

  /**
   * Push mode: Streamlit's own push was turned into a replace, so the entry
   * for this user change is added here, once, beneath nothing else: the
   * current entry goes back to `from` and the new one holds the current URL.
   */
  const applyPush = (): void => {
    const pending = data;
    if (!pending?.push || isSuppressed()) {
      return;
    }
    const query = currentQuery();
    if (ownedParamsDiffer(query, pending.expected, pending.owned)) {
      return; // Streamlit has not written this revision yet; retried on its write.
    }
    const { from } = pending.push;
    // Keyed by revision and `from`, not `expected`: Back to `from` makes
    // Python adopt it and may resend the same push, which must not re-push.
    if (!rememberOnce(memory.handledPushes, JSON.stringify([pending.revision, from]))) {
      return;
    }
    if (!ownedParamsDiffer(from, query, pending.owned)) {
      return;
    }
    const { pathname, hash, search } = window.location;
    const state: unknown = window.history.state;
    patch.replaceState.call(window.history, state, "", pathname + (from ? `?${from}` : "") + hash);
    patch.pushState.call(window.history, state, "", pathname + search + hash);
  };

  const answerTabId = (): void => {
    if (!args || !data) {
      return;
    }
    const id = readTabId(memory);
    if (data.tabId !== id && rememberOnce(memory.tabIdAnsweredFor, JSON.stringify(data.tabId))) {
      args.setStateValue("tab_id", id);
    }
  };

  /** Waits for the data of the run the server is answering with (see `Suppression`). */
  const awaitServerData = (waitMs: number): void => {
    suppression = {
      revision: data?.revision ?? 0,
      expected: data?.expected ?? "",
      until: Date.now() + waitMs,
    };
  };

  const unsubscribe = subscribeHistory({
    onHistoryEvent(cause: HistoryEventCause) {
      if (!alive()) {
        return;
      }
      if (cause === "popstate") {
        awaitServerData(POPSTATE_QUIET_MS);
        coalescer.schedule(POPSTATE_QUIET_MS);
        return;
      }
      applyPush();
      if (
        cause === "pushState" &&
        data &&
        !isSuppressed() &&
        ownedParamsDiffer(currentQuery(), data.expected, data.owned)
      ) {
        awaitServerData(SERVER_WRITE_WAIT_MS);
      }
      requestCheck(cause);
    },
    shouldReplacePush(target: URL) {
      if (!data || !alive()) {
        return false;
      }
      const here = window.location;
      // Streamlit rebuilds the URL as pathname + query, dropping the hash, so
      // a push without a hash still counts as staying on the same anchor.
      if (
        target.origin !== here.origin ||
        target.pathname !== here.pathname ||
        (target.hash !== "" && target.hash !== here.hash)
      ) {
        return false;
      }
      const next = stripQuestionMark(target.search);
      return (
        ownedParamsDiffer(next, currentQuery(), data.owned) || sameQuery(next, data.expected)
      );
    },
  });

  function dispose(): void {
    if (disposed) {
      return;
    }
    disposed = true;
    unsubscribe();
    coalescer.cancel();
  }

  return {
    update(nextArgs: BridgeArgs) {
      if (disposed) {
        return;
      }
      const firstRun = data === undefined;
      args = nextArgs;
      data = readBridgeData(nextArgs.data);
      if (
        suppression &&
        (data.revision !== suppression.revision || data.expected !== suppression.expected)
      ) {
        suppression = undefined; // Streamlit's own Back/Forward run has landed.
      }
      answerTabId();
      applyPush();
      requestCheck(firstRun ? "mount" : "data");
    },
    dispose,
    get disposed() {
      return disposed;
    },
  };
}
