import { afterEach, describe, expect, it, vi } from "vitest";

import { BRIDGE_VERSION, ownsPage, pageGlobal } from "../src/pageGlobal";
import { resetPage } from "./harness";

describe("page globals", () => {
  afterEach(() => {
    resetPage();
  });

  it("are shared by every copy of one version", () => {
    const first = pageGlobal("thing", () => ({ n: 1 }));
    expect(pageGlobal("thing", () => ({ n: 2 }))).toBe(first);
  });

  it("are keyed by the bundle's version", () => {
    pageGlobal("thing", () => 1);
    const keys = Object.getOwnPropertySymbols(window).map((s) => s.description);
    expect(keys).toContain(`st-page-state@${BRIDGE_VERSION}.thing`);
  });

  it("refuse a copy of another version, with one warning", () => {
    expect(ownsPage()).toBe(true);
    (window as unknown as Record<symbol, unknown>)[Symbol.for("st-page-state.bridge-version")] = "0.0.1";
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    expect(ownsPage()).toBe(false);
    expect(ownsPage()).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
