/**
 * Sync: a Tyk world of 1,000 APIs, 10,000 policies and 100,000 keys (× syncScale) served over real
 * HTTP by the Tyk Dashboard simulator, plus the Lightstep simulator enforcing its 2 requests/s
 * limit. Full sync (Tyk, then traces) into a fresh database, then an incremental one; the
 * simulator counts the trace-backend requests per second it saw.
 */
import { createDb } from "@/lib/db";
import { syncTraces } from "@/lib/sync/traces/sync-traces";
import { syncTyk } from "@/lib/sync/tyk/sync";
import { LightstepTraceSource } from "@/lib/traces/lightstep/adapter";
import { prismaStreamStore } from "@/lib/traces/lightstep/stream-store";
import { createTykClient } from "@/lib/tyk/client";
import { applyMigrations } from "@/scripts/db/migrate";
import { startLightstepSimulator } from "@/simulators/lightstep/server";
import { startTykSimulator } from "@/simulators/tyk-dashboard/server";
import { createWorld } from "@/simulators/world";
import { figure, type Figure } from "./results";
import type { BenchServer } from "./server";

const TYK_KEY = "bench-tyk-key";
const LS_KEY = "bench-lightstep-key";
/** Dashboard `page_size` (tyk_analytics.conf); Tyk's default is 10, large estates raise it. */
const PAGE_SIZE = 100;

export async function measureSync(
  server: BenchServer, scale: number, log: (s: string) => void, traceSamples: number | null = null,
): Promise<{ figures: Figure[]; notes: string[] }> {
  const size = { apis: Math.round(1000 * scale), policies: Math.round(10_000 * scale), keys: Math.round(100_000 * scale) };
  const t0 = performance.now();
  const world = createWorld({ seed: 8, scale: size });
  const state = world.stateAt(world.anchor);
  log(`  world: ${state.apis.length} APIs, ${state.policies.length} policies, ${state.keys.length} keys (built in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const tyk = await startTykSimulator({ world, apiKey: TYK_KEY, pageSize: PAGE_SIZE });
  const ls = await startLightstepSimulator({ world, apiKey: LS_KEY, org: "acme", project: "production", rateLimitPerSec: 2 });
  const url = await server.database("tl_bench_sync");
  await applyMigrations(url);
  const db = createDb(url);
  try {
    const client = createTykClient({ baseUrl: tyk.url, apiKey: TYK_KEY });
    const source = new LightstepTraceSource({
      baseUrl: ls.url, org: "acme", project: "production", apiKey: LS_KEY,
      streamStore: prismaStreamStore(db, "lightstep:acme/production"),
    });
    const run = async (label: string) => {
      const t = performance.now();
      const ty = await syncTyk({ db, client, auditLog: "auto", trigger: "cli" });
      const tykS = (performance.now() - t) / 1000;
      const t2 = performance.now();
      const tr = await syncTraces({ db, source, service: "tyk-gateway", trigger: "cli", ...(traceSamples != null ? { tracesPerEndpoint: traceSamples } : {}) });
      const tracesS = (performance.now() - t2) / 1000;
      log(`  ${label}: tyk ${tykS.toFixed(1)} s (${ty.status}), traces ${tracesS.toFixed(1)} s (${tr.status}); total ${(tykS + tracesS).toFixed(1)} s`);
      const failed = [ty, tr].filter((r) => r.status !== "succeeded").map((r) => `${r.status}: ${JSON.stringify(r.errors).slice(0, 200)}`);
      return { tykS, tracesS, failed };
    };
    const full = await run("full");
    const keys = await db.key.count();
    const incremental = await run("incremental");
    const rate = ls.maxObservedRate();
    log(`  trace backend: ${ls.requestCount()} requests, max ${rate} in any 1 s window; ${keys} keys stored`);
    const statusNote = (r: { failed: string[] }) => (r.failed.length ? r.failed.join("; ") : undefined);
    return {
      figures: [
        figure({
          id: "sync.full", label: `Full sync (Tyk ${full.tykS.toFixed(1)} s + traces ${full.tracesS.toFixed(1)} s)`,
          value: full.failed.length ? null : full.tykS + full.tracesS, unit: "s", compare: "value", target: { op: "<=", bound: 60 },
          reason: statusNote(full),
        }),
        figure({
          id: "sync.incremental", label: `Incremental sync (Tyk ${incremental.tykS.toFixed(1)} s + traces ${incremental.tracesS.toFixed(1)} s)`,
          value: incremental.failed.length ? null : incremental.tykS + incremental.tracesS, unit: "s", compare: "value", target: { op: "<=", bound: 5 },
          reason: statusNote(incremental),
        }),
        figure({
          id: "sync.trace_rate", label: "Trace-backend requests in any 1 s window (max, at the simulator)",
          value: rate, unit: "req/s", compare: "value", target: { op: "<=", bound: 2 },
        }),
      ],
      notes: [
        `Sync world: ${state.apis.length} APIs, ${state.policies.length} policies, ${state.keys.length} keys; Dashboard page size ${PAGE_SIZE}; ${keys} keys stored after the full sync.`,
      ],
    };
  } finally {
    await db.$disconnect();
    await tyk.close();
    await ls.close();
  }
}
