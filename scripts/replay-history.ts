// Demo/e2e only: replays the simulated world's day through the Tyk Dashboard simulator's clock, so
// Touchline looks as if it had been syncing all day — a baseline a day before the anchor, then one
// Tyk sync just after each change, so every change has its own version, diff and audited actor/time.
// Run by scripts/stack/stack.ts before the first normal sync. Env: DATABASE_URL, TYK_DASHBOARD_URL,
// TYK_DASHBOARD_API_KEY, WORLD_SEED, WORLD_ANCHOR (the same as the simulator's).
import { pathToFileURL } from "node:url";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createDb } from "@/lib/db";
import { syncTyk } from "@/lib/sync/tyk/sync";
import { createTykClient, type TykClient } from "@/lib/tyk/client";
import { createWorld } from "@/simulators/world";

const DAY_MS = 24 * 3_600_000;
const AFTER_EVENT_MS = 30_000;

/**
 * The sim-clock times to sync at: the day's start, then 30 s after each event — or halfway to the
 * next event when that comes sooner (a key rotation writes twice 30 s apart, and the clock keeps
 * moving during a sync, so a margin on both sides keeps each write in its own sync).
 */
export function replayTimes(anchor: Date, eventTimes: Date[]): Date[] {
  const times = [...eventTimes].map((d) => d.getTime()).sort((a, b) => a - b);
  const out = [new Date(anchor.getTime() - DAY_MS)];
  times.forEach((t, i) => {
    const next = times[i + 1];
    if (next === t) return; // simultaneous writes share one sync
    const gap = next === undefined ? Infinity : (next - t) / 2;
    out.push(new Date(t + Math.min(AFTER_EVENT_MS, gap)));
  });
  return out;
}

async function setSimClock(baseUrl: string, apiKey: string, asOf: Date | null): Promise<void> {
  const res = await fetch(new URL("/_sim/clock", baseUrl), {
    method: "PUT",
    headers: { Authorization: apiKey, "Content-Type": "application/json" },
    body: JSON.stringify({ asOf: asOf?.toISOString() ?? null }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`setting the simulator clock failed: HTTP ${res.status}`);
}

export interface ReplayOptions {
  db: PrismaClient;
  client: TykClient;
  dashboardUrl: string;
  apiKey: string;
  times: Date[];
  log?: (line: string) => void;
}

/** Runs one Tyk sync per time with the simulator clock (and the sync's own clock) set to it; always ends live. */
export async function replayHistory(opts: ReplayOptions): Promise<{ syncs: number; failed: number }> {
  let failed = 0;
  try {
    for (const asOf of opts.times) {
      const offset = Date.now() - asOf.getTime();
      await setSimClock(opts.dashboardUrl, opts.apiKey, asOf);
      const r = await syncTyk({ db: opts.db, client: opts.client, auditLog: "auto", trigger: "demo",
        now: () => new Date(Date.now() - offset) });
      if (r.status === "failed") failed++;
      opts.log?.(`${asOf.toISOString()} ${r.status} ${JSON.stringify(r.counts)}`);
    }
  } finally {
    await setSimClock(opts.dashboardUrl, opts.apiKey, null);
  }
  return { syncs: opts.times.length, failed };
}

async function main() {
  const { TYK_DASHBOARD_URL: url, TYK_DASHBOARD_API_KEY: apiKey, WORLD_ANCHOR: anchorRaw, WORLD_SEED: seed } = process.env;
  if (!url || !apiKey || !anchorRaw) throw new Error("TYK_DASHBOARD_URL, TYK_DASHBOARD_API_KEY and WORLD_ANCHOR are required");
  const anchor = /^\d+$/.test(anchorRaw) ? new Date(Number(anchorRaw)) : new Date(anchorRaw);
  const world = createWorld({ seed: seed ? Number(seed) : undefined, anchor });
  const db = createDb();
  const started = Date.now();
  try {
    const times = replayTimes(world.anchor, world.events.map((e) => e.at));
    const res = await replayHistory({ db, client: createTykClient({ baseUrl: url, apiKey }), dashboardUrl: url, apiKey, times,
      log: process.argv.includes("--verbose") ? (l) => console.log(l) : undefined });
    console.log(`replayed ${res.syncs} Tyk syncs (${res.failed} failed) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    process.exitCode = res.failed ? 1 : 0;
  } finally {
    await db.$disconnect();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(`replay failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
