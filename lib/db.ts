import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";

export type Db = PrismaClient;

// Each client's pg pool, for the few hot reads that go to the driver directly (see readRows in
// lib/investigation/sql.ts), kept on the client under a registered symbol: Next.js may load this
// module once per server bundle, so module-level state would not find a client another copy made.
// The client's $disconnect ends it.
const POOL = Symbol.for("touchline.pgPool");

const IDLE_CONNECTION_MS = 10 * 60_000;
const LOOKUP_POOL = Symbol.for("touchline.pgLookupPool");
/**
 * Connections for small indexed lookups (see lookupPoolOf): an investigation has two in flight (the
 * window's changes and stored exemplars), briefly four when its window holds callers this process
 * has not cached yet (each traffic part then looks its new ones up): those wait a lookup's time.
 */
export const LOOKUP_CONNECTIONS = 2;

function newPool(connectionString: string, max?: number, options?: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, idleTimeoutMillis: IDLE_CONNECTION_MS, allowExitOnIdle: true, ...(max ? { max } : {}), ...(options ? { options } : {}) });
  // An idle connection the server drops (a restart, a failover) is an error event on the pool; the
  // pool replaces it on next use, so it is logged, not allowed to crash the process.
  pool.on("error", (err: Error & { code?: string }) => log.warn({ code: err.code, err: err.message }, "database connection dropped while idle"));
  return pool;
}

export function createDb(connectionString = process.env.DATABASE_URL): PrismaClient {
  if (!connectionString) throw new Error("DATABASE_URL is not set");
  // A connection's backend keeps what PostgreSQL learnt on it — catalog caches, parsed named
  // statements, their plans — and a fresh one pays for all of that again: an investigation on new
  // backends takes ~1.5x as long (README "Performance"). pg's default closes a connection after
  // 10 s idle, so a console used now and then would only ever meet new ones; idle connections are
  // kept for 10 minutes instead (they still do not keep a script's process alive).
  const pool = newPool(connectionString);
  // Lookups run on generic plans, made once per statement and connection: their plans do not depend
  // on the values (index lookups by id, a changed_at range), and the default — five custom plans,
  // then building a generic one to compare — spent more than executing them on a fresh backend.
  // (Startup options need a direct connection or a pooler that passes them on; else SET it per session.)
  const lookups = newPool(connectionString, LOOKUP_CONNECTIONS, "-c plan_cache_mode=force_generic_plan");
  const client = new PrismaClient({ adapter: new PrismaPg(pool) });
  // $disconnect ends the pool too, also when only readRows ever used it (Prisma then never connected
  // and would leave it open).
  const disconnect = client.$disconnect.bind(client);
  client.$disconnect = async () => {
    await disconnect();
    if (!pool.ended) await pool.end();
    if (!lookups.ended) await lookups.end();
  };
  Object.defineProperty(client, POOL, { value: pool });
  Object.defineProperty(client, LOOKUP_POOL, { value: lookups });
  return client;
}

/** The pg pool under a client made by createDb (the same connections Prisma uses). */
export function poolOf(client: PrismaClient): pg.Pool {
  // Also through the `db` proxy below, which forwards the symbol to the process's client.
  const pool = (client as unknown as Record<symbol, pg.Pool | undefined>)[POOL];
  if (!pool) throw new Error("poolOf: this PrismaClient was not made by createDb");
  return pool;
}

/**
 * The client's pool for small indexed lookups (an endpoint, a window's changes, callers' labels):
 * kept apart from the scans so that each lookup statement runs on two backends instead of any of
 * the pool's ten — its parse, catalog caches and cached plan are then warm on the backend it meets
 * (a statement's first run on a backend costs it 1-5 ms more) — and so a burst of scans cannot
 * queue them.
 */
export function lookupPoolOf(client: PrismaClient): pg.Pool {
  const pool = (client as unknown as Record<symbol, pg.Pool | undefined>)[LOOKUP_POOL];
  if (!pool) throw new Error("lookupPoolOf: this PrismaClient was not made by createDb");
  return pool;
}

// One client per process, created on first use (so `next build` can import this module
// without a database) and kept on globalThis across dev-server module reloads.
const holder = globalThis as unknown as { touchlineDb?: PrismaClient };

export function getDb(): PrismaClient {
  holder.touchlineDb ??= createDb();
  return holder.touchlineDb;
}

export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, prop) {
    const client = getDb();
    const value = Reflect.get(client, prop, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});
