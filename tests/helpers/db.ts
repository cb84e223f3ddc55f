import { randomBytes } from "node:crypto";
import { createDatabase, dropDatabase } from "@/scripts/db/embedded";
import { createDb } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { applyMigrations } from "@/scripts/db/migrate";

export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A new, uniquely named database on the server of `process.env.DATABASE_URL` (set by the
 * integration project's global setup), migrated unless `migrate: false`. Call `drop()` when done
 * (it disconnects lingering sessions).
 */
export async function freshDatabase({ migrate = true }: { migrate?: boolean } = {}): Promise<FreshDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error("DATABASE_URL is not set: run this under the vitest 'int' project");
  const name = `tl_fresh_${randomBytes(6).toString("hex")}`;
  const url = await createDatabase(serverUrl, name);
  try {
    if (migrate) await applyMigrations(url);
  } catch (err) {
    await dropDatabase(serverUrl, name).catch(() => {});
    throw err;
  }
  return { url, drop: () => dropDatabase(serverUrl, name) };
}

/**
 * Fresh migrated databases with a Prisma client each, made on demand inside one test file and all
 * dropped by `dropAll()` (call it in afterAll).
 */
export function freshDatabases(seed: (db: PrismaClient) => Promise<void> = async () => {}) {
  const made: { fresh: FreshDatabase; db: PrismaClient }[] = [];
  return {
    async create(): Promise<{ url: string; db: PrismaClient }> {
      const fresh = await freshDatabase();
      const db = createDb(fresh.url);
      made.push({ fresh, db });
      await seed(db);
      return { url: fresh.url, db };
    },
    async dropAll(): Promise<void> {
      for (const { fresh, db } of made.splice(0)) {
        await db.$disconnect();
        await fresh.drop();
      }
    },
  };
}
