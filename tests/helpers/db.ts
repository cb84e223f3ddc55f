import { randomBytes } from "node:crypto";
import { createDatabase, dropDatabase } from "@/scripts/db/embedded";
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
