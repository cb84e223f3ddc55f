import { defineConfig } from "vitest/config";
import path from "node:path";

// Unit tests (*.test.ts) run with no I/O; integration tests (*.int.test.ts) get a real
// PostgreSQL from tests/global-setup.ts (embedded unless DATABASE_URL is set).
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "simulators/**/*.test.ts", "scripts/**/*.test.ts", "components/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
        },
      },
      {
        extends: true,
        test: {
          name: "int",
          include: ["**/*.int.test.ts"],
          exclude: ["node_modules/**", "e2e/**"],
          globalSetup: ["tests/global-setup.ts"],
          setupFiles: ["tests/setup-database-env.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
