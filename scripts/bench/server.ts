/**
 * The benchmark's PostgreSQL: a throwaway embedded server tuned like a small production box
 * (the defaults' 128 MB shared_buffers would measure the disk, not Touchline), restartable so the
 * "cold" investigation pass starts with empty shared buffers. With DATABASE_URL set, that server
 * is used as it is and `restart()` does nothing (cold then means "first run").
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { createDatabase, dropDatabase, startEmbeddedPostgres, type EmbeddedServer } from "@/scripts/db/embedded";

export interface BenchServer {
  url: string;
  embedded: boolean;
  /** Creates a database; it is dropped again by `close()`. */
  database(name: string): Promise<string>;
  /** Drops a database made by `database()` now (kept with `keep`), to free its disk for the next one. */
  drop(url: string): Promise<void>;
  restart(): Promise<boolean>;
  version(): Promise<string>;
  close(): Promise<void>;
}

const SETTINGS: Record<string, string> = {
  shared_buffers: "4GB",
  effective_cache_size: "12GB",
  maintenance_work_mem: "1GB",
  max_wal_size: "8GB",
  checkpoint_timeout: "30min",
  random_page_cost: "1.1",
  jit: "off",
};

export async function startBenchServer(opts: { keep?: boolean; log?: (s: string) => void } = {}): Promise<BenchServer> {
  const log = opts.log ?? (() => {});
  /** URL → name of the databases this run made. */
  const created = new Map<string, string>();
  const external = process.env.DATABASE_URL;
  let tmp: string | null = null;
  let server: EmbeddedServer | null = null;
  let url: string;
  if (external) {
    url = external;
  } else {
    tmp = await mkdtemp(path.join(tmpdir(), "touchline-bench-"));
    const dataDir = path.join(tmp, "pg");
    server = await startEmbeddedPostgres({ dataDir, ephemeral: true });
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    for (const [k, v] of Object.entries(SETTINGS)) await c.query(`ALTER SYSTEM SET ${k} = '${v}'`);
    await c.end();
    const port = server.port;
    await server.stop();
    server = await startEmbeddedPostgres({ dataDir, port, ephemeral: true });
    url = server.url;
    log(`embedded PostgreSQL on port ${port} (${tmp})`);
  }
  return {
    url,
    embedded: !external,
    async database(base) {
      // Unique per run: a smoke run may share a server with other tests or another bench.
      const name = `${base}_${process.pid}_${Date.now().toString(36)}`;
      const u = await createDatabase(url, name);
      created.set(u, name);
      return u;
    },
    async drop(u) {
      const name = created.get(u);
      if (opts.keep || !name) return;
      await dropDatabase(url, name);
      created.delete(u);
    },
    async restart() {
      if (!server || !tmp) return false;
      const port = server.port;
      await server.stop();
      server = await startEmbeddedPostgres({ dataDir: path.join(tmp, "pg"), port, ephemeral: true });
      return true;
    },
    async version() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        const { rows } = await c.query<{ v: string }>("SELECT split_part(version(), ' on ', 1) AS v");
        return rows[0].v;
      } finally {
        await c.end();
      }
    },
    async close() {
      if (!opts.keep) for (const name of created.values()) await dropDatabase(url, name).catch(() => {});
      await server?.stop();
      if (tmp && !opts.keep) await rm(tmp, { recursive: true, force: true });
    },
  };
}
