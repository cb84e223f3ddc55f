import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import pg from "pg";
// Relative, not "@/": the Playwright specs import this file too.
import { isLoadingTableSql } from "../sync/analytics/partitions";

export interface TableDigest {
  rows: number;
  md5: string;
}

export interface SnapshotOptions {
  /** Tables left out entirely (e.g. those a background sync writes while the test runs). */
  exclude?: Iterable<string>;
  /** Columns left out of every row's digest (regex on the column name), e.g. run-time stamps. */
  ignoreColumns?: RegExp;
  /** Per-table SQL filter on rows (`t` is the row alias), e.g. `{ audit_events: "t.action NOT LIKE '%.export'" }`. */
  where?: Record<string, string>;
  /** Tables whose `id` column is left out (ids generated at insert, e.g. cuid or a sequence). */
  generatedIds?: Iterable<string>;
  /**
   * Column → SQL expression over `t` that replaces its value in every table having that column,
   * e.g. a reference to a generated id swapped for the referenced row's business key.
   */
  substitute?: Record<string, string>;
}

/**
 * Row count and an order-independent digest of every table in the public schema: two snapshots are
 * equal exactly when no row was added, removed or changed (outside what the options leave out).
 */
export async function snapshotDatabase(url: string, opts: SnapshotOptions = {}): Promise<Record<string, TableDigest>> {
  const exclude = new Set(opts.exclude ?? []);
  exclude.add("_prisma_migrations");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Partitions (and a day still loading, which becomes one) are read through their partitioned
    // table: they are rows of it, and excluding the table excludes them.
    const tables = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND NOT ${isLoadingTableSql("c.relname")}
        ORDER BY 1`,
    );
    const out: Record<string, TableDigest> = {};
    const ignore = opts.ignoreColumns?.source ?? "^$";
    const generatedIds = new Set(opts.generatedIds ?? []);
    const columns = await client.query<{ t: string; c: string }>(
      "SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'public'",
    );
    for (const { name } of tables.rows) {
      if (exclude.has(name)) continue;
      const where = opts.where?.[name] ? `WHERE ${opts.where[name]}` : "";
      const quoted = `"${name.replaceAll('"', '""')}"`;
      const own = new Set(columns.rows.filter((r) => r.t === name).map((r) => r.c));
      const swaps = Object.entries(opts.substitute ?? {}).filter(([col]) => own.has(col));
      const row = swaps.length
        ? `to_jsonb(t) || jsonb_build_object(${swaps.map(([col, sql]) => `'${col.replaceAll("'", "''")}', ${sql}`).join(", ")})`
        : "to_jsonb(t)";
      const skipId = generatedIds.has(name) ? "AND e.key <> 'id'" : "";
      const r = await client.query<{ n: number; h: string }>(
        `SELECT count(*)::int AS n, md5(coalesce(string_agg(x, '|' ORDER BY x), '')) AS h FROM (
           SELECT (SELECT coalesce(jsonb_object_agg(e.key, e.value), '{}'::jsonb) FROM jsonb_each(${row}) e WHERE e.key !~ $1 ${skipId})::text AS x
           FROM ${quoted} t ${where}) s`,
        [ignore],
      );
      out[name] = { rows: r.rows[0].n, md5: r.rows[0].h };
    }
    return out;
  } finally {
    await client.end();
  }
}

/** model name → table name, from schema.prisma (`@@map`), so source mentions of a model resolve to its table. */
export function modelTables(schema: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of schema.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    out.set(m[1], m[2].match(/@@map\(\s*"([^"]+)"\s*\)/)?.[1] ?? m[1]);
  }
  return out;
}

/** Tables whose `id` is generated at insert (`@default(cuid())`, `uuid()` or `autoincrement()`), from schema.prisma. */
export function generatedIdTables(schema: string): Set<string> {
  const out = new Set<string>();
  for (const m of schema.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    if (/^\s*id\s+\S+\s+@id\s+@default\((?:cuid|uuid|autoincrement)\(/m.test(m[2])) {
      out.add(m[2].match(/@@map\(\s*"([^"]+)"\s*\)/)?.[1] ?? m[1]);
    }
  }
  return out;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) sourceFiles(full, out);
    else if (/\.ts$/.test(name) && !/\.test\.ts$/.test(name)) out.push(full);
  }
  return out;
}

/**
 * Tables the background sync writes, read from the sync code (Prisma calls and raw INSERT/UPDATE),
 * so a test comparing snapshots around its own requests can leave them out without a hand-kept list.
 */
export function backgroundWrittenTables(repoRoot: string, dirs = ["lib/sync", "lib/traces", "lib/tyk", "lib/anomalies"]): Set<string> {
  const tables = modelTables(readFileSync(path.join(repoRoot, "prisma/schema.prisma"), "utf8"));
  const byLower = new Map([...tables].map(([model, table]) => [model.charAt(0).toLowerCase() + model.slice(1), table]));
  const out = new Set<string>();
  for (const dir of dirs) {
    for (const file of sourceFiles(path.join(repoRoot, dir))) {
      const src = readFileSync(file, "utf8");
      for (const m of src.matchAll(/\.(\w+)\.(create|createMany|upsert|update|updateMany|delete|deleteMany)\s*\(/g)) {
        const table = byLower.get(m[1]);
        if (table) out.add(table);
      }
      for (const m of src.matchAll(/\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|COPY)\s+"?(\w+)"?/gi)) {
        if ([...tables.values()].includes(m[1])) out.add(m[1]);
      }
      // A table the code names once in a constant and writes through it (ingest's day tables).
      for (const m of src.matchAll(/\bconst\s+\w+\s*=\s*"(\w+)";/g)) {
        if ([...tables.values()].includes(m[1])) out.add(m[1]);
      }
    }
  }
  return out;
}
