import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";
import { addIdentityRule, listEndpointMappings, listIdentityRules, previewIdentityRules, removeIdentityRule, setEndpointMapping } from "./traces-mappings";

let fresh: FreshDatabase;
let db: PrismaClient;
let epId: string;
const HASH = "0123456789abcdef0123456789abcdef";

beforeAll(async () => {
  fresh = await freshDatabase();
  db = createDb(fresh.url);
  await db.api.create({ data: { id: "orders", name: "Orders API", listenPath: "/orders/", definition: {} } });
  epId = (await db.endpoint.create({ data: { apiId: "orders", method: "GET", path: "/orders/{id}", operation: "GET /orders/{id}" } })).id;
  const identity = await db.identity.create({ data: { kind: "service", externalId: "globex-batch", name: "globex-batch" } });
  await db.key.create({ data: { keyHash: HASH, alias: "globex-batch", last4: "61fb", identityId: identity.id, snapshot: {} } });
  const ex = (spanId: string, minute: number, attributes: Record<string, string>) =>
    ({ spanId, traceId: `t-${spanId}`, endpointId: epId, ts: new Date(Date.UTC(2026, 10, 26, 10, minute)), durationMs: 100, isError: false, attributes });
  await db.exemplar.createMany({
    data: [ex("s1", 1, { "tyk.api.apikey": HASH, "tyk.api.apikey.alias": "globex-batch" }), ex("s2", 2, { "http.method": "GET" }), ex("s3", 0, { "tyk.api.apikey.alias": "old" })],
  });
}, 120_000);

afterAll(async () => {
  await db?.$disconnect();
  await fresh?.drop();
});

describe("endpoint mappings", () => {
  it("maps by hand, then resets to the automatic operation", async () => {
    const manual = await setEndpointMapping(db, epId, "GET /v2/orders/:orderId");
    expect(manual.before).toMatchObject({ operation: "GET /orders/{id}", mappingSource: "auto" });
    expect(manual.after).toMatchObject({ operation: "GET /v2/orders/:orderId", mappingSource: "manual" });
    expect((await listEndpointMappings(db))[0]).toMatchObject({ apiName: "Orders API", mappingSource: "manual" });
    const reset = await setEndpointMapping(db, epId, null);
    expect(reset.after).toMatchObject({ operation: "GET /orders/{id}", mappingSource: "auto" });
    await expect(setEndpointMapping(db, "nope", "GET /x")).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("identity rules", () => {
  it("adds, refuses a duplicate with 409, lists by priority and removes", async () => {
    const a = await addIdentityRule(db, { attribute: "tyk.api.apikey.alias", field: "key_alias", priority: 20 });
    await addIdentityRule(db, { attribute: "enduser.id", field: "person_email", priority: 5 });
    const dup = await addIdentityRule(db, { attribute: "tyk.api.apikey.alias", field: "key_alias", priority: 1 }).catch((e) => e);
    expect(dup).toBeInstanceOf(ApiError);
    expect((dup as ApiError).status).toBe(409);
    expect((await listIdentityRules(db)).map((r) => r.field)).toEqual(["person_email", "key_alias"]);
    await removeIdentityRule(db, a.id);
    expect((await listIdentityRules(db)).map((r) => r.field)).toEqual(["person_email"]);
    await expect(removeIdentityRule(db, a.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("previews draft rules on the latest spans, newest first, resolving known identities and keeping unmapped rows", async () => {
    const rows = await previewIdentityRules(db, [{ attribute: "tyk.api.apikey.alias", field: "key_alias", priority: 1 }], 2);
    expect(rows.map((r) => [r.spanId, r.mapped])).toEqual([["s2", false], ["s1", true]]);
    expect(rows[1]).toMatchObject({ endpoint: "GET /orders/{id}", fields: { key_alias: "globex-batch" }, identity: { name: "globex-batch", kind: "service" } });
    const none = await previewIdentityRules(db, [{ attribute: "enduser.id", field: "person_email", priority: 1 }], 3);
    expect(none.every((r) => !r.mapped)).toBe(true);
    expect(none).toHaveLength(3);
  });
});
