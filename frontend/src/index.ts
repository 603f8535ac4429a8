import type { FrontendRenderer, FrontendRendererArgs } from "@streamlit/component-v2-lib";

import { ownsPage } from "./pageGlobal";
import { historyPatch } from "./patchHistory";
import { socketPatch } from "./patchSocket";
import { noteShownQuery } from "./shownQueries";
import { schedulePoll } from "./storePoll";
import { tabKeeper } from "./tabIdentity";
import { readTabInfo, readUrlData, type BridgeState, type TabCorrection } from "./types";
import { UrlSync } from "./urlSync";

export type { BridgeState, ReportCause, TabCorrection, TabInfo, UrlData, UrlReport } from "./types";

type Parent = HTMLElement | ShadowRoot;
type Args = FrontendRendererArgs<BridgeState, unknown>;

function isAttached(parent: Parent): boolean {
  return parent instanceof ShadowRoot ? parent.host.isConnected : parent.isConnected;
}

/**
 * Streamlit calls the renderer again on every run with the same parent
 * element, and only the last returned cleanup runs on unmount; keying the
 * URL sync by parent keeps one subscription per mounted element.
 */
const syncs = new WeakMap<Parent, UrlSync>();

/**
 * One component, two elements: the *tab* element (data `{tab}`, mounted as
 * soon as a session starts) hands the server's tab guess to the page's
 * keeper; the *URL* element (data `{expected, ...}`, after every run) keeps
 * the address bar and the server in step, and delivers the keeper's
 * corrections.
 */
const renderBridge: FrontendRenderer<BridgeState, unknown> = (args: Args) => {
  if (!ownsPage()) {
    return undefined;
  }
  historyPatch(); // as early as possible: Streamlit's next push must meet the patch
  const keeper = tabKeeper();
  socketPatch(() => keeper.confirmed); // a reconnect to another server process names the tab
  const tab = readTabInfo(args.data);
  if (tab) {
    keeper.receive(tab);
  }
  const urlData = readUrlData(args.data);
  const { parentElement } = args;
  let sync = syncs.get(parentElement);
  // Corrections go through the URL element only: Python mounts it in every
  // run, so its trigger is always read (the tab element exists in one run).
  const reporter = (correction: TabCorrection): void => args.setTriggerValue("identity", correction);
  if (urlData) {
    if (!sync || sync.isDisposed) {
      sync = new UrlSync(() => isAttached(parentElement));
      syncs.set(parentElement, sync);
    }
    // The URL first: an edit made before this data came is reported ahead
    // of a tab correction, whose run would otherwise write over it.
    sync.update(urlData, (report) => args.setTriggerValue("report", report));
    keeper.setReporter(reporter);
    if (urlData.tab !== null) {
      keeper.acknowledge(urlData.tab);
    }
    schedulePoll(urlData.poll, () => args.setTriggerValue("poll", Date.now()));
    noteShownQuery(); // after a held write the bridge applied itself
  }
  const mounted = sync;
  return () => {
    keeper.dropReporter(reporter);
    if (mounted) {
      mounted.dispose();
      if (syncs.get(parentElement) === mounted) {
        syncs.delete(parentElement);
      }
    }
  };
};

export default renderBridge;
