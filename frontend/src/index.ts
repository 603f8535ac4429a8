import type { FrontendRenderer } from "@streamlit/component-v2-lib";

import { createBridge, type BridgeInstance } from "./bridge";
import type { BridgeState } from "./types";

export type { BridgeData, BridgeState, ReportCause, UrlReport } from "./types";

/**
 * Streamlit calls the renderer again on every run with the same parent
 * element, and only the last returned cleanup runs on unmount; keying the
 * instance by parent keeps one subscription per mounted bridge.
 */
const instances = new WeakMap<HTMLElement | ShadowRoot, BridgeInstance>();

const renderUrlBridge: FrontendRenderer<BridgeState, unknown> = (args) => {
  const { parentElement } = args;
  let instance = instances.get(parentElement);
  if (!instance || instance.disposed) {
    instance = createBridge(parentElement);
    instances.set(parentElement, instance);
  }
  instance.update(args);
  const mounted = instance;
  return () => {
    mounted.dispose();
    if (instances.get(parentElement) === mounted) {
      instances.delete(parentElement);
    }
  };
};

export default renderUrlBridge;
