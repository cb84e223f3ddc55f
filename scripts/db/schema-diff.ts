import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
export const SCHEMA_PATH = path.join(REPO_ROOT, "prisma/schema.prisma");
export const MIGRATIONS_DIR = path.join(REPO_ROOT, "prisma/migrations");
const PRISMA6_CLI = path.join(REPO_ROOT, "node_modules/prisma-migrate-sql/build/index.js");
const PRISMA6_CONFIG = path.join(REPO_ROOT, "scripts/db/prisma6/prisma6.config.mjs");

// Prisma 7 forbids `url` in the datasource block; prisma 6 requires it. Give v6 a copy with one.
export function withDatasourceUrl(schema: string): string {
  const withUrl = schema.replace(/datasource\s+(\w+)\s*\{/, (m) => `${m}\n  url = "postgresql://offline/offline"`);
  if (withUrl === schema) throw new Error("schema has no datasource block");
  return withUrl;
}

/** True when a `migrate diff --script` output holds no statement (only comments/whitespace). */
export function isEmptyMigration(sql: string): boolean {
  return sql
    .split("\n")
    .map((l) => l.trim())
    .every((l) => l === "" || l.startsWith("--"));
}

/**
 * The SQL that turns a database shaped by schema `from` (null = an empty database) into one shaped
 * by `to`, computed by prisma 6.19.3's wasm schema engine with no database at all. Arguments are
 * schema *texts* (Prisma 7 style, without `url`).
 */
export async function diffSchemas(from: string | null, to: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "touchline-diff-"));
  try {
    const toPath = path.join(dir, "to.prisma");
    await writeFile(toPath, withDatasourceUrl(to));
    const args = [PRISMA6_CLI, "migrate", "diff", "--config", PRISMA6_CONFIG];
    if (from === null) args.push("--from-empty");
    else {
      const fromPath = path.join(dir, "from.prisma");
      await writeFile(fromPath, withDatasourceUrl(from));
      args.push("--from-schema-datamodel", fromPath);
    }
    args.push("--to-schema-datamodel", toPath, "--script");
    const { stdout } = await run(process.execPath, args, {
      cwd: REPO_ROOT,
      maxBuffer: 64 * 1024 * 1024,
      env: {
        ...process.env,
        // Point v6 at dummy engine files so it never tries to download the native ones.
        PRISMA_QUERY_ENGINE_LIBRARY: "/bin/false",
        PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false",
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
        CHECKPOINT_DISABLE: "1",
        DATABASE_URL: "",
      },
    });
    return stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** From-empty SQL of a schema file (default: the current prisma/schema.prisma). */
export async function fromEmptySql(schemaPath = SCHEMA_PATH): Promise<string> {
  return diffSchemas(null, await readFile(schemaPath, "utf8"));
}
