import { defineConfig } from "vitest/config";

import { packageVersion } from "./vite.config";

export default defineConfig({
  define: { __BRIDGE_VERSION__: JSON.stringify(packageVersion()) },
  test: {
    environment: "happy-dom",
    environmentOptions: {
      happyDOM: { url: "http://localhost:8501/app" },
    },
    include: ["frontend/**/*.test.ts"],
    restoreMocks: true,
  },
});
