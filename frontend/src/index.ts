import type { FrontendRenderer, FrontendRendererArgs } from "@streamlit/component-v2-lib";

import { ownsPage } from "./pageGlobal";
import { historyPatch } from "./patchHistory";
import { socketPatch } from "./patchSocket";
import { noteShownQuery } from "./shownQueries";
import { schedulePoll } from "./storePoll";
import { tabKeeper } from "./tabIdentity";
import { readTabInfo, readUrlData, type BridgeState, type TabCorrection } from "./types";
import { urlSync, type Reporter } from "./urlSync";

export type { BridgeState, ReportCause, TabCorrection, TabInfo, UrlData, UrlReport } from "./types";

type Parent = HTMLElement | ShadowRoot;
type Args = FrontendRendererArgs<BridgeState, unknown>;

function isAttached(parent: Parent): boolean {
  return parent instanceof ShadowRoot ? parent.host.isConnected : parent.isConnected;
}

/**
 * Streamlit calls the renderer again on every run with the same parent
 * element, and only the last returned cleanup runs on unmount; keying the
 * reporter by parent keeps one per mounted element.
 */
const reporters = new WeakMap<Parent, Reporter>();

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
  // Corrections go through the URL element only: Python mounts it in every
  // run, so its trigger is always read (the tab element exists in one run).
  const correct = (correction: TabCorrection): void => args.setTriggerValue("identity", correction);
  let reporter: Reporter | undefined;
  if (urlData) {
    reporter = reporters.get(parentElement);
    if (!reporter) {
      reporter = { send: () => undefined, isAttached: () => isAttached(parentElement) };
      reporters.set(parentElement, reporter);
    }
    reporter.send = (report) => args.setTriggerValue("report", report); // this run's callbacks
    // What the address bar shows as this data came: the page showed it, even
    // if the bridge replaces it at once (a held write, applied below).
    noteShownQuery();
    // The URL first: an edit made before this data came is reported ahead
    // of a tab correction, whose run would otherwise write over it.
    urlSync().update(urlData, reporter);
    keeper.setReporter(correct);
    if (urlData.tab !== null) {
      keeper.acknowledge(urlData.tab);
    }
    schedulePoll(urlData.poll, () => args.setTriggerValue("poll", Date.now()));
    noteShownQuery(); // after a held write the bridge applied itself
  }
  const mounted = reporter;
  return () => {
    keeper.dropReporter(correct);
    if (mounted) {
      urlSync().release(mounted);
      reporters.delete(parentElement);
    }
  };
};

export default renderBridge;
