import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

import { describe, expect, it, vi } from "vitest";

import type { FrontendRenderer } from "@streamlit/component-v2-lib";

import { historyPatch } from "../src/patchHistory";
import { CHECK_DELAY_MS } from "../src/scheduler";
import { BASE_PATH, bridgeData, mountBridge, useFreshPage } from "./harness";

const BUNDLE = resolve(process.cwd(), "st_page_state/bridge_assets/url_bridge.js");

/** Loads the text the way Streamlit does with inline `js=`: as a module from a data URL. */
async function importBuiltBundle(): Promise<FrontendRenderer> {
  const text = readFileSync(BUNDLE, "utf8");
  const url = `data:text/javascript;base64,${Buffer.from(text).toString("base64")}`;
  const module = (await import(/* @vite-ignore */ url)) as { default: FrontendRenderer };
  return module.default;
}

describe.skipIf(!existsSync(BUNDLE))("built url_bridge.js", () => {
  useFreshPage("status=pending");

  it("is one self-contained multi-line module", () => {
    const text = readFileSync(BUNDLE, "utf8");
    expect(text.trim()).toContain("\n");
    expect(text).not.toMatch(/^\s*import\b/m);
  });

  it("shares one patch with another copy and reports once", async () => {
    const render = await importBuiltBundle();
    const fromSource = mountBridge(bridgeData({ expected: "status=pending", revision: 1 }));
    const parent = document.body.appendChild(document.createElement("div"));
    const setTriggerValue = vi.fn();
    const cleanup = render({
      data: bridgeData({ expected: "status=pending", revision: 1 }),
      key: "k",
      name: "st_page_state_url_bridge",
      parentElement: parent,
      setStateValue: vi.fn(),
      setTriggerValue,
    });
    const patchedPush = window.history.pushState;
    expect(historyPatch().listeners.size).toBe(1); // one URL sync per page, whichever copy made it
    window.history.replaceState(null, "", `${BASE_PATH}?status=active`);
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    expect(fromSource.reports().length + setTriggerValue.mock.calls.length).toBe(1);
    expect(window.history.pushState).toBe(patchedPush);
    cleanup?.();
  });
});
