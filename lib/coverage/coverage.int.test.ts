// Coverage and environment names on the seeded world, through the real pieces (the Tyk simulator's
// Dashboard API and Pump table, the Lightstep simulator, the Tyk, analytics and trace syncs): the
// figures equal counts made by hand from the world itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { SimRequest } from "@/simulators/world";
import { startSeededWorld, type SeededWorld } from "@/tests/helpers/seeded-world";
import type { CoveragePage } from "./page";

let seeded: SeededWorld;
let db: PrismaClient;
let page: CoveragePage;
let written: SimRequest[];

beforeAll(async () => {
  seeded = await startSeededWorld({ backfillMs: 3 * 3_600_000, traces: true });
  ({ db, written } = seeded);
  const { coveragePage } = await import("./page");
  page = await coveragePage(db, { days: 2 });
}, 480_000);

afterAll(async () => {
  await seeded?.close();
});

function handCounts(apiName: string) {
  const rs = written.filter((r) => r.apiName === apiName);
  return { requests: rs.length, traced: rs.filter((r) => r.traceId !== "").length, noIdentity: rs.filter((r) => r.keyAlias === "").length, keyless: rs.filter((r) => r.keyHash === "").length };
}

describe("coverage on the seeded world", () => {
  it("counts every API's requests, trace ids and identity-less requests as the world made them", () => {
    expect(written.length).toBeGreaterThan(10_000);
    const names = [...new Set(written.map((r) => r.apiName))].sort();
    expect(page.apis.map((a) => a.name).sort()).toEqual(names);
    for (const api of page.apis) {
      expect({ requests: api.requests, traced: api.traced, noIdentity: api.noIdentity, keyless: api.keyless }, api.name).toEqual(handCounts(api.name));
    }
    expect(page.total.requests).toBe(written.length);
    expect(page.days.reduce((n, d) => n + d.requests, 0)).toBe(written.length);
  });

  it("finds the Ledger API's tracing off and the kiosk keys without an alias, with their causes", () => {
    const ledger = page.apis.find((a) => a.name === "Ledger API")!;
    expect(ledger.shares.traceId).toBe(0);
    expect(page.apis.find((a) => a.name === "Orders API")!.shares.traceId).toBe(1);
    const off = page.gaps.find((g) => g.kind === "tracing_off")!;
    expect(off.apiId).toBe(ledger.id);
    expect(off.cause).toContain("API Ledger API has detailed tracing off in its API definition");
    const kiosk = written.filter((r) => r.keyAlias === "" && r.keyHash !== "");
    const noAlias = page.gaps.find((g) => g.kind === "key_no_alias")!;
    expect(noAlias.cause).toBe(`Key alias empty for 3 keys: ${kiosk.length.toLocaleString("en-US")} requests with no identity`);
    expect(page.gaps.map((g) => g.kind)).not.toContain("key_unknown");
  });

  it("finds the keyless Tracking API, and the customer.id its anonymous traces carry unmapped", () => {
    const tracking = page.apis.find((a) => a.name === "Tracking API")!;
    const keyless = written.filter((r) => r.apiName === "Tracking API" && r.keyHash === "").length;
    expect(keyless).toBeGreaterThan(100);
    expect(tracking.keyless).toBe(keyless);
    expect(page.apis.filter((a) => a.keyless > 0).map((a) => a.name)).toEqual(["Tracking API"]);
    const gap = page.gaps.find((g) => g.kind === "keyless")!;
    expect(gap.apiId).toBe(tracking.id);
    expect(gap.cause).toBe(`API Tracking API took ${keyless.toLocaleString("en-US")} requests with no key, so with no identity`);
    // Every Tracking trace is anonymous and carries customer.id; no other trace does.
    const unmapped = page.gaps.filter((g) => g.kind === "attribute_unmapped");
    expect(tracking.exemplars).toBeGreaterThan(0);
    expect(unmapped.map((g) => g.cause)).toEqual([`Span attribute \`customer.id\` present on ${tracking.exemplars} anonymous trace${tracking.exemplars === 1 ? "" : "s"} but not mapped`]);
    expect(unmapped[0].fix).toBe("Map `customer.id` to person_email under Traces → identity mappings");
    // The four kinds the issue names, on one page.
    expect(page.gaps.map((g) => g.kind)).toEqual(expect.arrayContaining(["tracing_off", "key_no_alias", "attribute_unmapped", "keyless"]));
  });

  it("finds what the trace backend holds by count, and confirms sampled traces by trace id", () => {
    expect(page.traceBackend).toBe(true);
    for (const api of page.apis.filter((a) => a.name !== "Ledger API")) expect(api.shares.held, api.name).toBeGreaterThan(0.95);
    expect(page.apis.find((a) => a.name === "Ledger API")!.shares.held).toBeNull();
    expect(page.gaps.map((g) => g.kind)).not.toContain("not_held");
    expect(page.total.exemplars).toBeGreaterThan(10);
    expect(page.total.shares.correlated).toBe(1);
    // The kiosks' traces carry a key nobody is behind: those, and only those, are anonymous.
    const shipping = page.apis.find((a) => a.name === "Shipping API")!;
    const labels = shipping.endpoints.find((e) => e.path === "/shipping/labels")!;
    expect(labels.exemplars).toBeGreaterThan(0);
    const others = page.apis.filter((a) => a.name !== "Shipping API" && a.name !== "Tracking API");
    expect(others.every((a) => a.identified === a.exemplars)).toBe(true);
  });

  it("puts Shipping's prd beside its traces' production: one environment, two names", async () => {
    const { environmentsPage } = await import("@/lib/environments/page");
    const envs = await environmentsPage(db);
    const shipping = envs.apis.find((a) => a.name === "Shipping API")!;
    expect(shipping.tyk).toEqual({ raw: "prd", source: "tag", environment: "production" });
    expect(shipping.traces.map((t) => [t.raw, t.environment])).toEqual([["production", "production"]]);
    expect(shipping.status).toBe("naming");
    expect(envs.apis[0].name).toBe("Shipping API"); // inconsistencies first
    expect(envs.apis.find((a) => a.name === "Ledger API")!.status).toBe("undeclared");
    expect(envs.apis.find((a) => a.name === "Orders API")!.status).toBe("traces_only");
    const production = envs.environments.find((e) => e.environment === "production")!;
    expect(production.spellings).toEqual(["prd", "production"]);
  });

  it("filters coverage by environment, in any spelling, and honours an admin's alias", async () => {
    const { coveragePage } = await import("./page");
    const prd = await coveragePage(db, { days: 2, env: "PRD" });
    expect(prd.apis.map((a) => a.name).sort()).toEqual(page.apis.map((a) => a.name).filter((n) => n !== "Ledger API").sort());
    const { setAlias, deleteAlias } = await import("@/lib/environments/page");
    const ledger = await db.api.findFirstOrThrow({ where: { name: "Ledger API" } });
    // Ledger declares nothing; tag-less APIs can still be filed by an alias of a listen-path word.
    await setAlias(db, { name: "ledger", environment: "finance" }, "test");
    const finance = await coveragePage(db, { days: 2, env: "finance" });
    expect(finance.apis.map((a) => a.id)).toEqual([ledger.id]);
    await deleteAlias(db, "ledger");
    expect((await coveragePage(db, { days: 2, env: "finance" })).apis).toEqual([]);
  });

  it("narrows to one API", async () => {
    const ledger = page.apis.find((a) => a.name === "Ledger API")!;
    const { coveragePage } = await import("./page");
    const one = await coveragePage(db, { days: 2, api: ledger.id });
    expect(one.apis.map((a) => a.name)).toEqual(["Ledger API"]);
    expect(one.gaps.every((g) => g.apiId === null || g.apiId === ledger.id)).toBe(true);
  });
});

describe("the environment filter on investigations", () => {
  async function investigate(endpoint: { method: string; path: string }, env: string): Promise<{ status: number; body: { error?: { field?: string; message: string } } }> {
    const { createToken } = await import("@/lib/tokens/service");
    const { SYSTEM_ACTOR } = await import("@/lib/audit/context");
    const { token } = await createToken(db, { name: `env-${env}`, scopes: ["read"], expiresAt: null, createdBy: "test" }, { actor: SYSTEM_ACTOR });
    const { id } = await db.endpoint.findFirstOrThrow({ where: endpoint });
    const { NextRequest } = await import("next/server");
    const { GET } = await import("@/app/api/endpoints/[id]/investigation/route");
    const res = await GET(new NextRequest(`http://localhost:4999/api/endpoints/${id}/investigation?${new URLSearchParams({ env })}`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ id }) });
    return { status: res.status, body: await res.json() };
  }

  it("answers an endpoint filed under another environment, or under none, with a 400 naming env", async () => {
    const staging = await investigate({ method: "GET", path: "/orders" }, "staging");
    expect(staging.status).toBe(400);
    expect(staging.body.error).toMatchObject({ field: "env", message: "GET /orders (Orders API) is in production, not staging" });
    const ledger = await investigate({ method: "GET", path: "/ledger/entries" }, "prod");
    expect(ledger.status).toBe(400);
    expect(ledger.body.error).toMatchObject({ field: "env", message: "GET /ledger/entries (Ledger API) declares no environment, so it is not in production" });
    expect((await investigate({ method: "GET", path: "/orders" }, "no<such>")).body.error?.field).toBe("env");
  });

  it("investigates an endpoint in the environment asked for, in any spelling", async () => {
    const prd = await investigate({ method: "POST", path: "/shipping/labels" }, "PRD");
    expect(prd.status).toBe(200);
    expect(prd.body).toHaveProperty("spike");
  });
});
