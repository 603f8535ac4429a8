// @vitest-environment node
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

import { build, type Rollup } from "vite";
import { describe, expect, it } from "vitest";

const ROOT = process.cwd();
const BUNDLE = resolve(ROOT, "st_page_state/bridge_assets/url_bridge.js");

/**
 * The bundle is committed so that an install from git or a wheel needs no
 * npm; this keeps it from drifting from `frontend/src` unnoticed.
 */
describe("committed url_bridge.js", () => {
  it("exists (run `npm ci && npm run build`)", () => {
    expect(existsSync(BUNDLE)).toBe(true);
  });

  it("matches a fresh build of frontend/src (run `npm run build` after editing the source)", async () => {
    const result = await build({
      configFile: resolve(ROOT, "vite.config.ts"),
      logLevel: "silent",
      build: { write: false },
    });
    const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[];
    const chunk = outputs
      .flatMap((output) => output.output)
      .find((file): file is Rollup.OutputChunk => file.type === "chunk" && file.fileName === "url_bridge.js");
    expect(chunk).toBeDefined();
    expect(chunk?.code).toBe(readFileSync(BUNDLE, "utf8"));
  }, 30_000);
});
