// Prints the built bridge's size and fails the build past the budget, so a
// careless dependency cannot silently bloat every Streamlit page load.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 5 * 1024;
const file = new URL("../../st_page_state/bridge_assets/url_bridge.js", import.meta.url);
const text = readFileSync(file, "utf8");
const gzipped = gzipSync(text, { level: 9 }).length;

console.log(`url_bridge.js: ${text.length} B raw, ${gzipped} B gzipped (budget ${BUDGET_BYTES} B)`);

const problems = [];
if (gzipped > BUDGET_BYTES) problems.push("over the gzip budget");
if (!text.includes("\n") || text.trim().indexOf("\n") < 0) problems.push("no newline inside (Streamlit would take it for a path)");
if (/^\s*import\b|\bimport\s*\(|\bfrom\s*["']/m.test(text)) problems.push("contains an import");
if (!/export\s*\{[^}]*\bas default\b|export default/.test(text)) problems.push("no default export");
if (problems.length > 0) {
  console.error(`url_bridge.js: ${problems.join("; ")}`);
  process.exit(1);
}
