import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { createDatabase, dropDatabase, startEmbeddedPostgres } from "@/scripts/db/embedded";
import { applyMigrations } from "@/scripts/db/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    /** Migrated database for this test run. */
    databaseUrl: string;
  }
}

/**
 * Integration tests' database: a throwaway embedded PostgreSQL in a temp dir, or, when
 * DATABASE_URL is set, that server. Either way the tests get a new, migrated database (never the
 * one DATABASE_URL names), dropped again at teardown.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.DATABASE_URL;
  let tmp: string | null = null;
  let stopServer = async () => {};
  let serverUrl: string;
  if (external) {
    serverUrl = external;
  } else {
    tmp = await mkdtemp(path.join(tmpdir(), "touchline-test-pg-"));
    const server = await startEmbeddedPostgres({ dataDir: path.join(tmp, "pg"), ephemeral: true });
    serverUrl = server.url;
    stopServer = server.stop;
  }

  const name = `touchline_test_${process.pid}_${Date.now().toString(36)}`;
  try {
    const url = await createDatabase(serverUrl, name);
    await applyMigrations(url);
    // Workers start after global setup and inherit the environment; setupFiles re-assert it from inject().
    process.env.DATABASE_URL = url;
    project.provide("databaseUrl", url);
  } catch (err) {
    await stopServer();
    if (tmp) await rm(tmp, { recursive: true, force: true });
    throw err;
  }

  return async () => {
    await dropDatabase(serverUrl, name).catch(() => {});
    if (external) process.env.DATABASE_URL = external;
    await stopServer();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  };
}
