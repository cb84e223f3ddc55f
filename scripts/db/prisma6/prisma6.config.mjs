// Config for prisma 6.19.3 (devDependency alias `prisma-migrate-sql`), used only to print migration
// SQL offline. `engine: "js"` keeps it off the native schema engine we cannot download.
import { defineConfig } from "prisma-migrate-sql/config";
import { offlineAdapterFactory } from "./stub-adapter.mjs";

export default defineConfig({
  engine: "js",
  experimental: { adapter: true },
  adapter: async () => offlineAdapterFactory,
});
