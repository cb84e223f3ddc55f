import pg from "pg";

/** Runs `fn` with a plain `pg` client on `url` (for COPY, DDL and catalog reads Prisma has no API for), then closes it. */
export async function withPgClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Runs `fn` inside BEGIN … COMMIT on `c`, rolling back (and rethrowing) when it throws. */
export async function inTransaction<T>(c: pg.ClientBase, fn: () => Promise<T>): Promise<T> {
  await c.query("BEGIN");
  try {
    const out = await fn();
    await c.query("COMMIT");
    return out;
  } catch (err) {
    await c.query("ROLLBACK").catch(() => {});
    throw err;
  }
}
