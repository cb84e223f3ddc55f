import { defineConfig } from "prisma/config";

// Prisma 7 reads the connection from here; DATABASE_URL may be unset for `generate`.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
