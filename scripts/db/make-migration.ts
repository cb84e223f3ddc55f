/**
 * `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/ with the SQL that
 * takes the newest migration's copy of schema.prisma to the current schema.prisma, plus a copy of
 * the current schema (the next migration's starting point). Writes nothing when they agree.
 */
import { existsSync } from "node:fs";
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { MIGRATIONS_DIR, SCHEMA_PATH, diffSchemas, isEmptyMigration } from "./schema-diff";
import { listMigrations } from "./migrate";

/** Prisma's folder prefix: UTC YYYYMMDDHHMMSS. */
export function migrationTimestamp(d = new Date()): string {
  return d.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

export async function makeMigration(
  name: string,
  opts: { migrationsDir?: string; schemaPath?: string; now?: Date } = {},
): Promise<{ dir: string | null; sql: string }> {
  const migrationsDir = opts.migrationsDir ?? MIGRATIONS_DIR;
  const schemaPath = opts.schemaPath ?? SCHEMA_PATH;
  if (!/^[a-z0-9_]+$/i.test(name)) throw new Error(`migration name must be letters, digits, underscores: ${name}`);

  const existing = await listMigrations(migrationsDir);
  const newest = existing.at(-1);
  let from: string | null = null;
  if (newest) {
    const copy = path.join(migrationsDir, newest, "schema.prisma");
    if (!existsSync(copy)) throw new Error(`${newest} has no schema.prisma copy to diff against`);
    from = await readFile(copy, "utf8");
  }
  const sql = await diffSchemas(from, await readFile(schemaPath, "utf8"));
  if (isEmptyMigration(sql)) return { dir: null, sql };

  let stamp = migrationTimestamp(opts.now);
  // Two migrations made within one second must still sort after each other.
  if (newest && stamp <= newest.slice(0, 14)) stamp = String(BigInt(newest.slice(0, 14)) + 1n);
  const dir = path.join(migrationsDir, `${stamp}_${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "migration.sql"), sql);
  await copyFile(schemaPath, path.join(dir, "schema.prisma"));
  return { dir, sql };
}

async function main() {
  const name = process.argv[2];
  if (!name) {
    console.error("usage: npm run db:migration -- <name>");
    process.exit(2);
  }
  const { dir } = await makeMigration(name);
  console.log(dir ? `wrote ${path.relative(process.cwd(), dir)}` : "schema.prisma matches the newest migration: nothing written");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
