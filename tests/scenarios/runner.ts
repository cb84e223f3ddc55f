// Runs one scenario through Touchline's real pipeline: the Tyk sync against the scenario's
// Dashboard over HTTP (replayed write by write, like an install that has been syncing all along),
// Tyk Pump's table ingested by the analytics sync's ingest, optionally the trace sync against the
// Lightstep simulator, then the investigation of the scenario's endpoint.
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createDb } from "@/lib/db";
import { acceptCandidate, listCandidates } from "@/lib/endpoints/candidates";
import { investigateEndpoint } from "@/lib/investigation/investigate-endpoint";
import { ingestAnalytics } from "@/lib/sync/analytics/ingest";
import { applyRetention } from "@/lib/sync/analytics/retention";
import { withPgClient } from "@/lib/pg-client";
import { detectTypeAnomalies } from "@/lib/anomalies/detect";
import { syncTyk } from "@/lib/sync/tyk/sync";
import { syncTraces } from "@/lib/sync/traces/sync-traces";
import { LightstepTraceSource } from "@/lib/traces/lightstep/adapter";
import { prismaStreamStore } from "@/lib/traces/lightstep/stream-store";
import { createTykClient } from "@/lib/tyk/client";
import { startLightstepSimulator } from "@/simulators/lightstep/server";
import { freshDatabase } from "@/tests/helpers/db";
import { startScenarioDashboard } from "./dashboard-server";
import { writePumpTable } from "./pump";
import { judge, type Judgement, type Scenario, type ScenarioAnswer } from "./scenario";
import { traceWorld } from "./traces";
import { generateTraffic, MINUTE } from "./traffic";

const GATEWAY = "tyk-gateway";
// SCENARIO_LOG=1 prints each step's duration (to see where a slow scenario spends its time).
const stepLog = (name: string) => {
  let last = performance.now();
  return (step: string) => {
    if (!process.env.SCENARIO_LOG) return;
    const now = performance.now();
    console.log(`[${name}] ${step} ${Math.round(now - last)} ms`);
    last = now;
  };
};

/** When the Tyk sync runs: at install, then a minute after every write (5-minute cadence without an audit log, as first-seen times would have it). */
export function syncTimes(s: Scenario): number[] {
  const end = s.t0 + s.minutes[1] * MINUTE;
  const times = new Set<number>([s.installAt]);
  if (s.auditLog) {
    for (const w of s.estate.writeTimes()) if (w > s.installAt && w < end) times.add(w + MINUTE);
  } else {
    for (let t = s.installAt + 5 * MINUTE; t < end; t += 5 * MINUTE) times.add(t);
  }
  times.add(end);
  return [...times].filter((t) => t <= end).sort((a, b) => a - b);
}

export interface RunOptions {
  /** Pump database shared by the library (one table per scenario). */
  pumpUrl: string;
  /** Then drop the scenario's raw records by retention (its days past the raw horizon) and investigate again. */
  pastRawHorizon?: boolean;
}

export async function runScenario(s: Scenario, o: RunOptions): Promise<{ judgement: Judgement; answer: ScenarioAnswer | null; pastHorizon?: ScenarioAnswer }> {
  const log = stepLog(s.name);
  const app = await freshDatabase();
  const db = createDb(app.url);
  const dashboard = await startScenarioDashboard(s.estate, { auditLog: s.auditLog });
  const end = s.t0 + s.minutes[1] * MINUTE;
  log("database");
  const requests = generateTraffic(s.traffic, s.t0, s.minutes[0], s.minutes[1], s.seed);
  log(`traffic (${requests.length} requests)`);
  const table = `tyk_analytics_${s.name.replace(/\W+/g, "_")}`;
  let answer: ScenarioAnswer | null = null;
  let pastHorizon: ScenarioAnswer | undefined;
  let error: string | undefined;
  try {
    const client = createTykClient({ baseUrl: dashboard.url, apiKey: dashboard.apiKey });
    for (const t of syncTimes(s)) {
      dashboard.setClock(t);
      const r = await syncTyk({ db, client, auditLog: "auto", trigger: "test", now: () => new Date(t) });
      if (r.status === "failed") throw new Error(`Tyk sync at ${new Date(t).toISOString()} failed: ${JSON.stringify(r.errors)}`);
      log(`tyk sync ${new Date(t).toISOString()}`);
    }
    await writePumpTable(o.pumpUrl, table, s.orgId, requests);
    log("pump");
    await ingestAnalytics({ db, sourceUrl: o.pumpUrl, databaseUrl: app.url, table });
    // As the analytics sync does after each ingest: a user type's anomaly can then be a suspect.
    await detectTypeAnomalies(db);
    log("ingest");
    if (s.traces) await syncScenarioTraces(db, s, requests, end);
    log("traces");
    if (s.acceptDerivedTemplates) {
      // As an admin would on the review screen: accept what Touchline derived for the API.
      for (const c of await listCandidates(db, "pending")) if (c.apiId === s.endpoint.apiId) await acceptCandidate(db, c.id, { actor: "ada@acme.test" });
      log("templates accepted");
    }
    const endpoint = await db.endpoint.findFirst({ where: { apiId: s.endpoint.apiId, method: s.endpoint.method, path: s.endpoint.path } });
    if (!endpoint) throw new Error(`no endpoint ${s.endpoint.method} ${s.endpoint.path}: nothing can be investigated`);
    answer = (await investigateEndpoint(db, { endpointId: endpoint.id, from: s.t0 - 90 * MINUTE, to: end })) as unknown as ScenarioAnswer;
    log("investigation");
    if (o.pastRawHorizon) {
      // Three days on, with one day of raw retention: every day of the scenario is past the horizon.
      const dropped = await withPgClient(app.url, (c) => applyRetention(c, { rawDays: 1, aggregateDays: 400 }, new Date(end + 3 * 86_400_000)));
      if (!dropped.droppedDays.length) throw new Error("retention dropped no day");
      pastHorizon = (await investigateEndpoint(db, { endpointId: endpoint.id, from: s.t0 - 90 * MINUTE, to: end })) as unknown as ScenarioAnswer;
      log("investigation past the raw horizon");
    }
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  } finally {
    await dashboard.close();
    await db.$disconnect();
    await app.drop();
  }
  return { judgement: judge(s, answer, error), answer, pastHorizon };
}

async function syncScenarioTraces(db: PrismaClient, s: Scenario, requests: ReturnType<typeof generateTraffic>, end: number): Promise<void> {
  const apis = [...new Map(requests.map((r) => [r.endpoint.api.id, r.endpoint.api])).values()];
  const apiKey = "scenario-lightstep-key";
  const sim = await startLightstepSimulator({
    world: traceWorld(requests, apis, s.orgId, end), apiKey, org: "scenarios", project: "production", rateLimitPerSec: 1000, gatewayService: GATEWAY, now: () => end,
  });
  try {
    const source = new LightstepTraceSource({
      baseUrl: sim.url, org: "scenarios", project: "production", apiKey, rateLimitPerSec: 1000,
      streamStore: prismaStreamStore(db, "lightstep:scenarios/production"),
    });
    const r = await syncTraces({ db, source, service: GATEWAY, trigger: "test", now: new Date(end) });
    if (r.status === "failed") throw new Error(`trace sync failed: ${JSON.stringify(r.errors)}`);
  } finally {
    await sim.close();
  }
}
