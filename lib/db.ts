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

export function createDb(connectionString = process.env.DATABASE_URL): PrismaClient {
  if (!connectionString) throw new Error("DATABASE_URL is not set");
  // A connection's backend keeps what PostgreSQL learnt on it — catalog caches, parsed named
  // statements, their plans — and a fresh one pays for all of that again: an investigation on new
  // backends takes ~1.5x as long (README "Performance"). pg's default closes a connection after
  // 10 s idle, so a console used now and then would only ever meet new ones; idle connections are
  // kept for 10 minutes instead (they still do not keep a script's process alive).
  const pool = new pg.Pool({ connectionString, idleTimeoutMillis: IDLE_CONNECTION_MS, allowExitOnIdle: true });
  // An idle connection the server drops (a restart, a failover) is an error event on the pool; the
  // pool replaces it on next use, so it is logged, not allowed to crash the process.
  pool.on("error", (err: Error & { code?: string }) => log.warn({ code: err.code, err: err.message }, "database connection dropped while idle"));
  const client = new PrismaClient({ adapter: new PrismaPg(pool) });
  // $disconnect ends the pool too, also when only readRows ever used it (Prisma then never connected
  // and would leave it open).
  const disconnect = client.$disconnect.bind(client);
  client.$disconnect = async () => {
    await disconnect();
    if (!pool.ended) await pool.end();
  };
  Object.defineProperty(client, POOL, { value: pool });
  return client;
}

/** The pg pool under a client made by createDb (the same connections Prisma uses). */
export function poolOf(client: PrismaClient): pg.Pool {
  // Also through the `db` proxy below, which forwards the symbol to the process's client.
  const pool = (client as unknown as Record<symbol, pg.Pool | undefined>)[POOL];
  if (!pool) throw new Error("poolOf: this PrismaClient was not made by createDb");
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
