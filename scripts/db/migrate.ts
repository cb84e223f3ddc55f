/**
 * `npm run db:migrate`: applies pending prisma/migrations/<name>/migration.sql files in name order
 * and records them in a `_prisma_migrations` table shaped like Prisma Migrate's, so an install that
 * has Prisma's native engine can still run `prisma migrate status/deploy` against it.
 */
import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { MIGRATIONS_DIR } from "./schema-diff";

// The key Prisma Migrate itself locks, so our runner and `prisma migrate deploy` exclude each other.
export const MIGRATION_LOCK_KEY = 72707369;

const CREATE_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrateResult {
  applied: string[];
  /** Already-applied migrations whose file changed since, or rows with no folder. */
  warnings: string[];
}

/** Migration folder names (those holding a migration.sql), in the order they apply. */
export async function listMigrations(dir = MIGRATIONS_DIR): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, "migration.sql")))
    .map((e) => e.name)
    .sort();
}

export function migrationChecksum(sql: string | Buffer): string {
  return createHash("sha256").update(sql).digest("hex");
}

interface Row {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies every pending migration to the database at `url`, each in its own transaction, under
 * Prisma's advisory lock. Refuses to run while a migration is recorded as started but unfinished
 * (a failed or interrupted one: fix it and delete or resolve its row first). A failing migration is
 * rolled back, recorded with its error in `logs`, and rethrown.
 */
export async function applyMigrations(
  url: string,
  opts: { dir?: string; log?: (line: string) => void } = {},
): Promise<MigrateResult> {
  const dir = opts.dir ?? MIGRATIONS_DIR;
  const log = opts.log ?? (() => {});
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const result: MigrateResult = { applied: [], warnings: [] };
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query(CREATE_TABLE);
    const { rows } = await client.query<Row>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
    );
    const unfinished = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
    if (unfinished) {
      throw new Error(
        `migration ${unfinished.migration_name} is recorded as started but not finished; ` +
          `fix the database, then delete or resolve its row in _prisma_migrations before migrating again`,
      );
    }
    const done = new Map(rows.filter((r) => r.finished_at !== null && r.rolled_back_at === null).map((r) => [r.migration_name, r]));
    const names = await listMigrations(dir);
    for (const name of done.keys()) if (!names.includes(name)) result.warnings.push(`${name} is applied but has no folder`);

    for (const name of names) {
      const sql = await readFile(path.join(dir, name, "migration.sql"));
      const checksum = migrationChecksum(sql);
      const prior = done.get(name);
      if (prior) {
        if (prior.checksum !== checksum) result.warnings.push(`${name} was modified after it was applied`);
        continue;
      }
      await applyOne(client, name, sql.toString("utf8"), checksum);
      result.applied.push(name);
      log(`applied ${name}`);
    }
    return result;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end();
  }
}

async function applyOne(client: pg.Client, name: string, sql: string, checksum: string): Promise<void> {
  const id = randomUUID();
  // The row goes in first, outside the migration's transaction, so a failure stays on record.
  await client.query(
    `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
    [id, checksum, name],
  );
  // CREATE INDEX CONCURRENTLY cannot run inside a transaction block.
  const transactional = !/\bCONCURRENTLY\b/i.test(sql);
  try {
    if (transactional) await client.query("BEGIN");
    await client.query(sql);
    await client.query(
      `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
      [id],
    );
    if (transactional) await client.query("COMMIT");
  } catch (err) {
    if (transactional) await client.query("ROLLBACK").catch(() => {});
    const message = err instanceof Error ? err.message : String(err);
    await client.query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [id, message]).catch(() => {});
    throw new Error(`migration ${name} failed: ${message}`);
  }
}

async function main() {
  const url = process.env.DATABASE_URL;
  let server: { url: string; stop(): Promise<void> } | null = null;
  let target = url;
  if (!target) {
    // No DATABASE_URL: migrate the local demo cluster under .data/pg, database "touchline".
    const { startEmbeddedPostgres, databaseUrl } = await import("./embedded");
    server = await startEmbeddedPostgres({ dataDir: ".data/pg", port: Number(process.env.PGPORT ?? 54329) });
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    const exists = await c.query("SELECT 1 FROM pg_database WHERE datname = 'touchline'");
    if (exists.rowCount === 0) await c.query("CREATE DATABASE touchline");
    await c.end();
    target = databaseUrl(server.url, "touchline");
    console.log(`DATABASE_URL not set; using embedded Postgres on port ${new URL(target).port}, database touchline`);
  }
  try {
    const res = await applyMigrations(target, { log: (l) => console.log(l) });
    for (const w of res.warnings) console.warn(`warning: ${w}`);
    console.log(res.applied.length ? `${res.applied.length} migration(s) applied` : "database is up to date");
  } finally {
    await server?.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
