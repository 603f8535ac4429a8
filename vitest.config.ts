import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "happy-dom",
    environmentOptions: {
      happyDOM: { url: "http://localhost:8501/app" },
    },
    include: ["frontend/**/*.test.ts"],
    restoreMocks: true,
  },
});
