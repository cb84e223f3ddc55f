import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";
import { seedScenario, type Scenario } from "@/lib/investigation/testing/seed-scenario";
import { groupSuspects, suspectLinks } from "@/components/endpoint/suspect-model";
import { loadEndpointPage, loadExemplarSpans } from "./endpoint-page";
import { indicesOf } from "./endpoint-page-window";

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 20, 10, 0);
const UI = { url: "https://ui.example/", project: "prod" };

describe("loadEndpointPage on a culprit key surge after a policy change", () => {
  let fresh: FreshDatabase;
  let client: pg.Client;
  let db: PrismaClient;
  let s: Scenario;

  beforeAll(async () => {
    fresh = await freshDatabase();
    client = new pg.Client({ connectionString: fresh.url });
    await client.connect();
    s = await seedScenario(client, { t0: T0 });
    db = createDb(fresh.url);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await client?.end();
    await fresh?.drop();
  });

  it("renders the latest spike with the culprit first, and a chart context that contains the analysed window", async () => {
    const page = await loadEndpointPage(db, s.endpointId, {}, UI);
    const inv = page.investigation;
    expect(inv.spike.kind).toBe("spike");
    const top = groupSuspects(inv.suspects)[0]!;
    const ids = [top.lead.id, ...top.also.map((a) => a.id)];
    expect(ids.some((id) => id === s.batchKey || id === s.policyChangeId)).toBe(true);

    const window = { from: Date.parse(inv.window.from), to: Date.parse(inv.window.to) };
    expect(page.context.from).toBeLessThanOrEqual(window.from);
    expect(page.context.to).toBeGreaterThanOrEqual(window.to);
    expect(page.context.to).toBe(T0 + 30 * MIN); // the data ends 30 minutes after the spike began
    expect(page.context.points.length).toBeGreaterThan(100);
    const { startIndex, endIndex } = indicesOf(window, page.context.from, (page.context.to - page.context.from) / MIN);
    expect(endIndex).toBeGreaterThan(startIndex);
  });

  it("draws the changes that reached the endpoint, with the targets their links need", async () => {
    const page = await loadEndpointPage(db, s.endpointId, {}, UI);
    const byId = new Map(page.context.markers.map((m) => [m.id, m]));
    const gold = byId.get(s.policyChangeId);
    expect(gold).toMatchObject({ kind: "policy", targetId: "pol-gold", actor: "alice@acme.test", timeSource: "audit", at: T0 - 12 * MIN });
    expect(gold!.diff).toEqual([{ path: "rate", before: 1, after: 100 }]);
    expect(byId.has("chg-billing")).toBe(false); // another API's change never reaches this endpoint

    const changeSuspect = [...page.investigation.suspects, ...page.investigation.notSignificant].find((x) => x.id === s.policyChangeId);
    expect(changeSuspect).toBeDefined();
    expect(suspectLinks(changeSuspect!, byId)[0]?.href).toBe("/policies/pol-gold");
  });

  it("analyses an explicit window from the URL and keeps it", async () => {
    const from = T0 - 90 * MIN, to = T0 + 20 * MIN;
    const page = await loadEndpointPage(db, s.endpointId, { from, to }, UI);
    expect(page.investigation.window).toEqual({ from: new Date(from).toISOString(), to: new Date(to).toISOString() });
    expect(page.context.from).toBeLessThanOrEqual(from);
    expect(page.context.to).toBeGreaterThanOrEqual(to);
  });

  it("resolves exemplar traces to spans for the trace backend's UI", async () => {
    expect(await loadExemplarSpans(db, ["trace-ex-1", "no-such-trace"])).toEqual({ "trace-ex-1": "span-ex-1" });
    const page = await loadEndpointPage(db, s.endpointId, {}, UI);
    expect(page.traceUi.base).toBe("https://ui.example/prod");
    expect(await loadEndpointPage(db, s.endpointId, {}, null).then((p) => p.traceUi.base)).toBeNull();
  });

  it("says not_found for an unknown endpoint", async () => {
    await expect(loadEndpointPage(db, "no-such-endpoint", {}, UI)).rejects.toSatisfy((e) => e instanceof ApiError && e.code === "not_found");
  });
});
