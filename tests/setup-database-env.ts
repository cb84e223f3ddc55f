import { inject } from "vitest";

// Test files read process.env.DATABASE_URL (lib/db.ts does); point it at the run's migrated database.
process.env.DATABASE_URL = inject("databaseUrl");
