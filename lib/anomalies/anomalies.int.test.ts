// Anomalies by user type on the seeded world, through the real syncs: the kiosks (policy
// kiosk-fleet, keys without an alias) got 4× slower on POST /shipping/labels for the last 50
// minutes, and the dispatch service on the same endpoint did not.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { startSeededWorld, type SeededWorld } from "@/tests/helpers/seeded-world";

const HOUR = 3_600_000;
let seeded: SeededWorld;
let db: PrismaClient;

beforeAll(async () => {
  // Eight hours: enough earlier hours (six) for a baseline before the incident and the kiosks' slowdown.
  seeded = await startSeededWorld({ backfillMs: 8 * HOUR });
  db = seeded.db;
}, 480_000);

afterAll(async () => {
  await seeded?.close();
});

describe("anomalies by user type, detected at the analytics sync", () => {
  it("finds the kiosk fleet's slowdown on POST /shipping/labels, not the dispatch service's", async () => {
    const g = seeded.world.groupAnomaly;
    const labels = await db.endpoint.findFirstOrThrow({ where: { method: g.method, path: g.template } });
    const found = await db.anomaly.findMany({ where: { endpointId: labels.id } });
    const kiosk = found.filter((a) => a.userType === `policy:${g.policyId}` && a.metric === "p99");
    expect(kiosk.length).toBeGreaterThan(0);
    for (const a of kiosk) {
      expect(a.typeLabel).toBe("Policy kiosk-fleet");
      expect(a.value / a.baseline).toBeGreaterThan(2.5);
      expect(a.hour.getTime() + HOUR).toBeGreaterThan(g.start.getTime());
    }
    const logistics = await db.policy.findFirstOrThrow({ where: { name: "logistics-internal" } });
    expect(found.filter((a) => a.userType === `policy:${logistics.id}` || a.userType === "kind:service")).toEqual([]);
  });

  it("stays quiet where the world is quiet: every anomaly is the kiosks' slowdown or the seeded incident", async () => {
    const { incident, groupAnomaly } = seeded.world;
    const all = await db.anomaly.findMany();
    const endpoints = new Map((await db.endpoint.findMany({ select: { id: true, apiId: true, method: true, path: true } })).map((e) => [e.id, e]));
    const unexplained = all.filter((a) => {
      const e = endpoints.get(a.endpointId)!;
      const hourEnd = a.hour.getTime() + HOUR;
      const kiosks = e.path === groupAnomaly.template && hourEnd > groupAnomaly.start.getTime();
      const incidentHours = e.apiId === incident.endpoint.apiId && hourEnd > incident.spikeStart.getTime() && a.hour.getTime() < incident.spikeEnd.getTime();
      return !kiosks && !incidentHours;
    });
    const judged = await db.typeHour.count();
    console.info(`seeded world: ${all.length} anomalies in ${judged} type-hours, ${unexplained.length} outside the seeded events`, unexplained.map((a) => `${a.typeLabel} ${a.metric} ${a.value.toFixed(2)} vs ${a.baseline.toFixed(2)}`));
    expect(unexplained).toEqual([]);
  });

  it("lists them ranked by impact, each linking to an investigation of its endpoint and hour", async () => {
    const { anomaliesPage } = await import("./page");
    const page = await anomaliesPage(db, { days: 1 });
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.map((a) => a.impact)).toEqual([...page.items.map((a) => a.impact)].sort((x, y) => y - x));
    const kiosk = page.items.find((a) => a.typeLabel === "Policy kiosk-fleet" && a.metric === "p99")!;
    expect(kiosk.text).toMatch(/^Policy kiosk-fleet got \d+\.\d× slower on POST \/shipping\/labels: p99 /);
    const url = new URL(kiosk.investigateHref, "http://x");
    expect(url.pathname).toBe(`/endpoints/${kiosk.endpointId}`);
    expect(Date.parse(url.searchParams.get("to")!) - Date.parse(url.searchParams.get("from")!)).toBeLessThanOrEqual(2 * HOUR);
    expect((await anomaliesPage(db, { days: 1, type: "group" })).items).toEqual([]);
    expect((await anomaliesPage(db, { days: 1, metric: "p99", type: "policy" })).items.every((a) => a.metric === "p99" && a.userType.startsWith("policy:"))).toBe(true);
  });

  it("filters by environment in any spelling, and the investigation links keep it", async () => {
    const { anomaliesPage } = await import("./page");
    const shipping = await db.api.findFirstOrThrow({ where: { name: "Shipping API" } });
    const shippingEndpoints = new Set((await db.endpoint.findMany({ where: { apiId: shipping.id }, select: { id: true } })).map((e) => e.id));
    const all = await anomaliesPage(db, { days: 1 });
    // Without traces only Tyk's side declares: Shipping's tag prd, so production is Shipping alone.
    const prd = await anomaliesPage(db, { days: 1, env: "PRD" });
    expect(prd.environmentOptions).toEqual(["production"]);
    expect(prd.items.map((a) => a.id)).toEqual(all.items.filter((a) => shippingEndpoints.has(a.endpointId)).map((a) => a.id));
    expect(prd.items.some((a) => a.typeLabel === "Policy kiosk-fleet")).toBe(true);
    expect(all.items.some((a) => !shippingEndpoints.has(a.endpointId))).toBe(true); // the seeded incident's, on Orders
    for (const a of prd.items) expect(new URL(a.investigateHref, "http://x").searchParams.get("env")).toBe("PRD");
    expect(all.items.every((a) => !new URL(a.investigateHref, "http://x").searchParams.has("env"))).toBe(true);
    expect((await anomaliesPage(db, { days: 1, env: "staging" })).total).toBe(0);
    const kiosk = prd.items.find((a) => a.typeLabel === "Policy kiosk-fleet")!;
    expect((await anomaliesPage(db, { days: 1, env: "production", endpoint: kiosk.endpointId })).items.every((a) => a.endpointId === kiosk.endpointId)).toBe(true);
    const outside = all.items.find((a) => !shippingEndpoints.has(a.endpointId))!;
    expect((await anomaliesPage(db, { days: 1, env: "production", endpoint: outside.endpointId })).total).toBe(0);
  });

  it("investigates an anomaly filtered to its user type: the kiosks' own series, spike and callers", async () => {
    const { investigateEndpoint } = await import("@/lib/investigation/investigate-endpoint");
    const { anomaliesPage } = await import("./page");
    const g = seeded.world.groupAnomaly;
    const kiosk = (await anomaliesPage(db, { days: 1, metric: "p99" })).items.find((a) => a.userType === `policy:${g.policyId}`)!;
    const link = new URL(kiosk.investigateHref, "http://x");
    expect(link.searchParams.get("userType")).toBe(`policy:${g.policyId}`);
    const from = Date.parse(link.searchParams.get("from")!), to = Date.parse(link.searchParams.get("to")!);
    const inv = await investigateEndpoint(db, { endpointId: kiosk.endpointId, from, to, userType: kiosk.userType });
    expect(inv.userType).toEqual({ id: `policy:${g.policyId}`, label: "Policy kiosk-fleet" });
    // Hand count: the kiosks' requests on the endpoint in the window, as the world wrote them.
    const kiosks = seeded.written.filter((r) => r.method === g.method && r.template === g.template && r.policyIds.includes(g.policyId) && r.ts >= from && r.ts < to);
    expect(inv.series.reduce((n, p) => n + p.count, 0)).toBe(kiosks.length);
    expect(inv.spike.kind).toBe("spike");
    if (inv.spike.kind !== "spike") return;
    expect(Math.abs(inv.spike.start - g.start.getTime())).toBeLessThanOrEqual(10 * 60_000);
    const p99 = (a: number, b: number) => {
      const v = inv.series.filter((p) => p.ts >= a && p.ts < b && p.p99 !== null).map((p) => p.p99!).sort((x, y) => x - y);
      return v[Math.floor(v.length / 2)];
    };
    expect(p99(g.start.getTime(), to) / p99(from, g.start.getTime())).toBeGreaterThan(2.5);
    // Every caller counted is a kiosk: the dispatch service on the same endpoint is left out.
    const keys = new Set(kiosks.map((r) => r.keyHash));
    expect(inv.callers.length).toBeGreaterThan(0);
    for (const c of inv.callers.filter((c) => c.kind === "key")) expect(keys.has(c.id), c.label).toBe(true);
    const all = await investigateEndpoint(db, { endpointId: kiosk.endpointId, from, to });
    expect(all.userType).toBeUndefined();
    expect(all.series.reduce((n, p) => n + p.count, 0)).toBeGreaterThan(kiosks.length);

    // An incident frozen from the filtered page keeps the filter (its live link is built from it).
    const { createIncident } = await import("@/lib/incidents/service");
    const { SYSTEM_ACTOR } = await import("@/lib/audit/context");
    const by = { type: "token", id: "t", email: null, role: "responder", can: () => true } as const;
    const { id } = await createIncident(db, { endpointId: kiosk.endpointId, from, to, title: "Kiosks slow", severity: "sev3", visibility: "all", userType: kiosk.userType },
      by, { actor: SYSTEM_ACTOR }, { traceUi: null });
    const frozen = (await db.incident.findUniqueOrThrow({ where: { id } })).frozen as { investigation: { userType?: unknown; series: { count: number }[] } };
    expect(frozen.investigation.userType).toEqual(inv.userType);
    expect(frozen.investigation.series.reduce((n, p) => n + p.count, 0)).toBe(kiosks.length);
  });

  it("feeds the investigation: the kiosk fleet's anomaly makes its type a suspect of the unfiltered endpoint, frozen with the incident", async () => {
    const { investigateEndpoint } = await import("@/lib/investigation/investigate-endpoint");
    const { anomaliesPage } = await import("./page");
    const g = seeded.world.groupAnomaly;
    const kiosk = (await anomaliesPage(db, { days: 1, metric: "p99" })).items.find((a) => a.userType === `policy:${g.policyId}`)!;
    // The endpoint's latest spike, as its page opens: the kiosks' slowdown, still running.
    const inv = await investigateEndpoint(db, { endpointId: kiosk.endpointId });
    const type = inv.suspects.find((s) => s.kind === "user_type" && s.id === `policy:${g.policyId}`);
    expect(type, inv.suspects.map((s) => `${s.kind} ${s.label}`).join(" | ")).toBeDefined();
    expect(type).toMatchObject({ id: `policy:${g.policyId}`, label: "Policy kiosk-fleet", significant: true, mechanism: "own_latency" });
    expect(type!.evidence.anomaly).toMatchObject({ metric: "p99" });
    expect(type!.evidence.anomaly!.factor!).toBeGreaterThan(2.5);
    expect(type!.evidence.p99Without!).toBeLessThan(inv.stats!.qIncident!);
    expect(inv.verdict.summary).toMatch(/Policy kiosk-fleet/);
    // The dispatch service, also on the endpoint, is not of the type and is no suspect.
    expect(inv.suspects.filter((s) => /dispatch/.test(s.label))).toEqual([]);

    const { createIncident } = await import("@/lib/incidents/service");
    const { SYSTEM_ACTOR } = await import("@/lib/audit/context");
    const by = { type: "token", id: "t", email: null, role: "responder", can: () => true } as const;
    const { id } = await createIncident(db, { endpointId: kiosk.endpointId, from: Date.parse(inv.window.from), to: Date.parse(inv.window.to), title: "Kiosks slow (unfiltered)", severity: "sev3", visibility: "all" },
      by, { actor: SYSTEM_ACTOR }, { traceUi: null });
    const frozen = (await db.incident.findUniqueOrThrow({ where: { id } })).frozen as { investigation: { suspects: { kind: string; id: string; evidence: { anomaly?: unknown } }[] } };
    expect(frozen.investigation.suspects.find((s) => s.kind === "user_type" && s.id === type!.id)).toMatchObject({ id: type!.id, evidence: { anomaly: type!.evidence.anomaly } });
  });

  it("answers an unknown user type with a bad request naming userType", async () => {
    const { investigateEndpoint } = await import("@/lib/investigation/investigate-endpoint");
    const e = await db.endpoint.findFirstOrThrow({ where: { path: seeded.world.groupAnomaly.template } });
    const now = Date.now();
    await expect(investigateEndpoint(db, { endpointId: e.id, from: now - 3_600_000, to: now, userType: "policy:no-such-policy" }))
      .rejects.toMatchObject({ code: "bad_request", field: "userType" });
  });

  it("works incrementally: a second sync reads only the hours since the watermark", async () => {
    const { readState } = await import("@/lib/sync/sync-run");
    const { ANOMALY_STATE, detectTypeAnomalies } = await import("./detect");
    const before = (await readState<{ next: number }>(db, ANOMALY_STATE))!.next;
    const hoursStored = await db.typeHour.findMany({ where: { hour: { lt: new Date(before), gte: new Date(before - 28 * 24 * HOUR) } }, orderBy: [{ hour: "asc" }, { userType: "asc" }, { endpointId: "asc" }] });
    const old = new Date(before - 40 * 24 * HOUR);
    await db.typeHour.create({ data: { userType: "kind:none", endpointId: "gone", hour: old, requests: 1, errors: 0, minutes: 60 } });
    const again = await detectTypeAnomalies(db);
    expect(await db.typeHour.count({ where: { hour: old } })).toBe(0); // past any baseline's reach
    expect(again.hours).toBeLessThanOrEqual(2); // the running hour (and the one just over)
    expect(again.watermark).toBeGreaterThanOrEqual(before);
    // Final hours are not rewritten.
    expect(await db.typeHour.findMany({ where: { hour: { lt: new Date(before), gte: new Date(before - 28 * 24 * HOUR) } }, orderBy: [{ hour: "asc" }, { userType: "asc" }, { endpointId: "asc" }] })).toEqual(hoursStored);
  });

  it("keeps the baselines' history between syncs: the next one judges as a fresh process would, without reading it again", async () => {
    const { createDb } = await import("@/lib/db");
    const { detectTypeAnomalies } = await import("./detect");
    const judged = async () => (await db.anomaly.findMany({ orderBy: [{ hour: "asc" }, { userType: "asc" }, { endpointId: "asc" }, { metric: "asc" }] }))
      .map((a) => ({ hour: a.hour, userType: a.userType, endpointId: a.endpointId, metric: a.metric, value: a.value, baseline: a.baseline, score: a.score }));
    await detectTypeAnomalies(db);
    const kept = await judged();
    expect(kept.length).toBeGreaterThan(0);
    const fresh = createDb(seeded.url);
    try {
      await detectTypeAnomalies(fresh);
      expect(await judged()).toEqual(kept);
      // The history read by the fresh client is gone from the table (as if expired); the kept one still judges the same.
      const { readState } = await import("@/lib/sync/sync-run");
      const { ANOMALY_STATE } = await import("./detect");
      const watermark = (await readState<{ next: number }>(db, ANOMALY_STATE))!.next;
      const saved = await db.typeHour.findMany({ where: { hour: { lt: new Date(watermark) } } });
      await db.typeHour.deleteMany({ where: { hour: { lt: new Date(watermark) } } });
      try {
        await detectTypeAnomalies(fresh);
        expect(await judged()).toEqual(kept);
      } finally {
        await db.typeHour.createMany({ data: saved });
      }
    } finally {
      await fresh.$disconnect();
    }
  });
});
