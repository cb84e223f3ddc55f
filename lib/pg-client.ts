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
