import { defineConfig } from "vite";

/**
 * Library mode into one fixed-name ES module: Python reads the file's text and
 * passes it inline as `js=`, so it must import nothing and keep a stable name.
 * The banner puts a newline inside the text because Streamlit treats a
 * single-line `js=` string as a path.
 */
export default defineConfig({
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
        banner:
          "/* st-page-state URL bridge (Streamlit Components v2). Built from frontend/src by `npm run build`; do not edit. */",
      },
    },
  },
});
