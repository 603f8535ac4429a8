import { readFileSync } from "node:fs";

import { defineConfig } from "vite";

/** The bundle's version is the Python package's: one place (st_page_state/__init__.py). */
export function packageVersion(): string {
  const init = readFileSync(new URL("./st_page_state/__init__.py", import.meta.url), "utf8");
  const match = /^__version__ = "([^"]+)"$/m.exec(init);
  if (!match?.[1]) {
    throw new Error("no __version__ in st_page_state/__init__.py");
  }
  return match[1];
}

/**
 * Library mode into one fixed-name ES module: Python reads the file's text and
 * passes it inline as `js=`, so it must import nothing and keep a stable name.
 * The banner puts a newline inside the text because Streamlit treats a
 * single-line `js=` string as a path; it is added after minification
 * (`postBanner`), which would drop a comment. Library mode keeps whitespace
 * in an ES bundle unless the output itself is minified (`output.minify`):
 * about 15% of the gzipped size.
 */
export default defineConfig({
  define: { __BRIDGE_VERSION__: JSON.stringify(packageVersion()) },
  publicDir: false,
  build: {
    lib: {
      entry: "frontend/src/index.ts",
      formats: ["es"],
      fileName: () => "url_bridge.js",
    },
    outDir: "st_page_state/bridge_assets",
    // The folder belongs to the Python package; only our one file is rewritten.
    emptyOutDir: false,
    target: "es2020",
    minify: true,
    sourcemap: false,
    reportCompressedSize: true,
    rolldownOptions: {
      output: {
        minify: true,
        postBanner:
          "/* st-page-state URL bridge (Streamlit Components v2). Built from frontend/src by `npm run build`; do not edit. */",
      },
    },
  },
});
