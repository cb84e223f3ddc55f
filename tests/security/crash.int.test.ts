import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withPgClient as withClient } from "@/lib/pg-client";
import { generatedIdTables, snapshotDatabase, type TableDigest } from "@/lib/security/db-snapshot";
import { startPumpWriter } from "@/simulators/tyk-dashboard/pump-writer";
import { startTykSimulator, type TykSimulator } from "@/simulators/tyk-dashboard/server";
import { createWorld } from "@/simulators/world";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";

// kill -9 in the middle of a sync, then run again: the result must equal a clean run's, with no row
// lost and none doubled. The sync runs as a real child process (`scripts/sync.ts`) against a fresh
// database, an in-process Tyk simulator and a frozen pump table. The moment to kill is found by
// polling what the run records (sync_runs.progress, row counts); a table lock then holds the child
// still at that point, so "mid-stage" is certain when the signal lands, not a matter of timing.

const ROOT = path.resolve(import.meta.dirname, "../..");
const API_KEY = "crash-int-key";
// Bulk keys make the keys stage several commits long (a first sync writes new keys 1,000 at a time),
// so there is an inside to stop in; a frozen pump (~145k rows) is three ingestion batches.
const world = createWorld({ seed: 11, anchor: new Date(Date.now() - 60_000), scale: { keys: 2_500 } });
// The run's own bookkeeping differs between any two runs by design.
const BOOKKEEPING = ["sync_runs", "sync_state"];
// When a row was written, not what it says.
const VOLATILE = /^(created_at|updated_at|synced_at|observed_at|first_seen_at|detected_at)$/;
// References to generated ids, compared by the referenced row's business key instead.
const callerKey = (id: string) => `(SELECT concat_ws(',', quote_nullable(c.key_hash), quote_nullable((SELECT i.external_id FROM identities i WHERE i.id = c.identity_id)),
    quote_nullable(c.oauth_client_id), c.policy_ids::text) FROM request_callers c WHERE c.id = ${id})`;
const hourCaller = `concat_ws(':', ${callerKey("u.id")}, u.r, u.j, u.e)`;
const SUBSTITUTE = {
  endpoint_id: "(SELECT concat_ws(' ', e.api_id, e.method, e.path) FROM endpoints e WHERE e.id = t.endpoint_id)",
  identity_id: "(SELECT i.external_id FROM identities i WHERE i.id = t.identity_id)",
  caller_id: callerKey("t.caller_id"),
  // endpoint_hours: its callers (ids, ascending) and their counts, as one set of business keys with counts.
  callers: `(SELECT array_agg(${hourCaller} ORDER BY ${hourCaller}) FROM unnest(t.callers, t.caller_requests, t.caller_rejected, t.caller_errors) AS u(id, r, j, e))`,
  caller_requests: "NULL", caller_rejected: "NULL", caller_errors: "NULL",
  // endpoint_caller_minutes: its (minute, caller, requests) entries as one set of business keys with counts.
  caller_ids: `(SELECT array_agg(x ORDER BY x) FROM unnest(t.minutes, t.caller_ids, t.caller_counts) AS u(m, id, n),
    LATERAL (SELECT concat_ws(':', u.m, ${callerKey("u.id")}, u.n) AS x) s)`,
  caller_counts: "NULL",
};
const GENERATED = generatedIdTables(readFileSync(path.join(ROOT, "prisma/schema.prisma"), "utf8"));

let tyk: TykSimulator;
let pump: FreshDatabase;
const dbs: FreshDatabase[] = [];
let clean: Record<string, TableDigest>;
const children: ChildProcess[] = [];

const digest = (url: string) => snapshotDatabase(url, { exclude: BOOKKEEPING, ignoreColumns: VOLATILE, generatedIds: GENERATED, substitute: SUBSTITUTE });

function startSync(databaseUrl: string): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; output: string }> } {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NODE_ENV: "test", LOG_LEVEL: "warn",
    DATABASE_URL: databaseUrl,
    NEXTAUTH_URL: "http://localhost:3999", NEXTAUTH_SECRET: "crash-test-secret-crash-test-secret-0000",
    OIDC_ISSUER: "http://localhost:3998", OIDC_CLIENT_ID: "crash", OIDC_CLIENT_SECRET: "crash",
    TYK_DASHBOARD_URL: tyk.url, TYK_DASHBOARD_API_KEY: API_KEY, TYK_ANALYTICS_DATABASE_URL: pump.url, TYK_AUDIT_LOG: "auto",
    // Trace sync resumes per endpoint watermark and is covered in lightstep-faults; its 2 req/s budget would dominate here.
    TRACE_BACKEND: "none",
  };
  // `--import tsx` keeps the sync in this one process: tsx's CLI would run it in a grandchild that SIGKILL misses.
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/sync.ts", "--trigger", "test"], { cwd: ROOT, env });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const done = new Promise<{ code: number | null; signal: string | null; output: string }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, output })),
  );
  return { child, done };
}

async function syncToCompletion(url: string): Promise<void> {
  const { code, output } = await startSync(url).done;
  expect(code, output).toBe(0);
}

/** Polls `probe` until it returns a value; a deadline only turns a hang into a failure with a message. */
async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, deadlineMs = 90_000, everyMs = 20): Promise<T> {
  const stop = Date.now() + deadlineMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > stop) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Locks `table` against writes as soon as `ready` holds (checked under the lock, so the child cannot
 * move on between the check and the lock), runs `check`, kills the child, and waits for its
 * backends to go. Each lock/unlock cycle lets the child's waiting write through, so with
 * `everyMs: 0` the child advances about one transaction per cycle.
 */
async function killWhenReady(
  url: string, child: ChildProcess, exited: Promise<unknown>, table: string,
  ready: (c: pg.Client) => Promise<boolean>, check: (c: pg.Client) => Promise<void> = async () => {}, everyMs = 20,
) {
  await withClient(url, async (c) => {
    await until(`the moment to stop the sync (${table})`, async () => {
      await c.query("BEGIN");
      await c.query(`LOCK TABLE ${table} IN EXCLUSIVE MODE`);
      if (await ready(c)) return true;
      await c.query("ROLLBACK");
      return false;
    }, 90_000, everyMs);
    // The child is now stuck on its next write to `table` (or about to be); prove where it is.
    await check(c);
    child.kill("SIGKILL");
    await exited;
    await c.query("ROLLBACK");
    // A killed client's backends end when they next read the socket; until then its advisory lock holds.
    await until("the killed sync's connections to close", async () => {
      const r = await c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
      return r.rows[0].n === 0;
    });
  });
}

async function progressOf(c: pg.Client, kind: string): Promise<{ step?: string; done?: number; total?: number } | null> {
  const r = await c.query("SELECT progress FROM sync_runs WHERE kind = $1 AND status = 'running'", [kind]);
  return r.rows[0]?.progress ?? null;
}
const countIn = async (c: pg.Client, table: string) => (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;

beforeAll(async () => {
  tyk = await startTykSimulator({ world, apiKey: API_KEY, pageSize: 100 });
  pump = await freshDatabase({ migrate: false });
  // Backfill the pump once and stop it, so every run below reads the same rows.
  const writer = await startPumpWriter({ world, databaseUrl: pump.url });
  await writer.close();
  const ref = await freshDatabase();
  dbs.push(ref);
  await syncToCompletion(ref.url);
  clean = await digest(ref.url);
  expect(clean.keys.rows).toBeGreaterThan(2_500);
  expect(clean.request_records.rows).toBeGreaterThan(100_000);
}, 240_000);

afterAll(async () => {
  // Only if a test failed half-way: no sync of ours outlives the file.
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await tyk?.close();
  for (const d of dbs) await d.drop().catch(() => {});
  await pump?.drop().catch(() => {});
});

describe("kill -9 mid-sync, then run again", () => {
  it("in the Tyk keys stage: the rerun resumes and the data equals a clean run's", async () => {
    const fresh = await freshDatabase();
    dbs.push(fresh);
    const { child, done } = startSync(fresh.url);
    // Listing keys is slowed so the lock below is in place before the stage writes its first keys;
    // from there each lock cycle lets one commit through.
    tyk.setFault({ kind: "slow", ms: 100, path: /^\/api\/(apis\/[^/]+\/)?keys/ });
    try {
      await until("the keys stage", () => withClient(fresh.url, async (c) => (await progressOf(c, "tyk"))?.step === "keys"));
      await killWhenReady(fresh.url, child, done, "key_versions", async (c) => (await countIn(c, "keys")) > 0, async (c) => {
        expect(await countIn(c, "keys"), "killed with some keys written and some not").toBeLessThan(clean.keys.rows);
      }, 0);
    } finally {
      tyk.setFault(null);
    }
    expect((await done).signal).toBe("SIGKILL");
    const state = await withClient(fresh.url, async (c) => (await c.query("SELECT value FROM sync_state WHERE name = 'tyk'")).rows[0].value);
    expect(state.inProgress.done, "the killed run had finished the stages before keys, not keys").not.toContain("keys");

    await syncToCompletion(fresh.url);
    expect(await digest(fresh.url)).toEqual(clean);
    const runs = await withClient(fresh.url, async (c) => (await c.query("SELECT status, errors FROM sync_runs WHERE kind = 'tyk' ORDER BY started_at")).rows);
    expect(runs.map((r) => r.status)).toEqual(["failed", "succeeded"]);
    expect(JSON.stringify(runs[0].errors)).toContain("interrupted");
  }, 240_000);

  it("mid-batch in analytics ingestion: no request lost, none doubled", async () => {
    const fresh = await freshDatabase();
    dbs.push(fresh);
    const { child, done } = startSync(fresh.url);
    const batchDone = async (c: pg.Client) => ((await progressOf(c, "analytics"))?.done ?? 0) >= 1;
    // A batch writes its rows (into request_records, or a day's loading table during a backfill),
    // then its watermark into sync_state, then commits: holding sync_state stops it in between.
    await killWhenReady(fresh.url, child, done, "sync_state", batchDone, async (c) => {
      // The next batch's watermark write waits on our lock inside its transaction (which holds the ingest advisory lock): truly mid-batch.
      // (pg_locks, not pg_stat_activity: the latter is a snapshot frozen for the rest of our transaction.)
      await until("the next batch to wait for sync_state", async () => {
        const r = await c.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks w JOIN pg_locks a ON a.pid = w.pid AND a.locktype = 'advisory' AND a.granted
           WHERE NOT w.granted AND w.relation = 'sync_state'::regclass`,
        );
        return r.rows[0].n === 1;
      });
      // Counted from the hour aggregates, which commit with each batch: the request records of a day
      // being attached in the background move between tables, and reading them here could wait on
      // (or miss) that attach.
      const { rows: [{ n }] } = await c.query<{ n: number }>(
        "SELECT COALESCE(sum((SELECT sum(x) FROM unnest(minute_requests) x)), 0)::int AS n FROM endpoint_hours");
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThan(clean.request_records.rows);
    });
    expect((await done).signal).toBe("SIGKILL");

    await syncToCompletion(fresh.url);
    const after = await digest(fresh.url);
    expect(after.request_records).toEqual(clean.request_records);
    expect(after).toEqual(clean);
    const dupes = await withClient(fresh.url, async (c) =>
      (await c.query<{ n: number }>("SELECT count(*)::int AS n FROM (SELECT 1 FROM request_records GROUP BY ts, source_id HAVING count(*) > 1) d")).rows[0].n,
    );
    expect(dupes).toBe(0);
  }, 240_000);
});
