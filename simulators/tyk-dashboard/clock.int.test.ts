import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorld } from "../world";
import { parseClockBody } from "./clock";
import { startTykSimulator, CONSOLE_USER_EMAIL, type TykSimulator } from "./server";

const API_KEY = "clock-test-key";
const world = createWorld({ seed: 7 });
const MIN = 60_000;
let sim: TykSimulator;

async function call(path: string, init: RequestInit & { key?: string | null } = {}) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (init.key !== null) headers.Authorization = init.key ?? API_KEY;
  const res = await fetch(sim.url + path, { ...init, headers });
  return { status: res.status, body: await res.json() };
}
const setClock = (asOf: string | null, key?: string | null) =>
  call("/_sim/clock", { method: "PUT", body: JSON.stringify({ asOf }), key });
const goldRate = async () => {
  const { body } = await call("/api/portal/policies?p=-2");
  return body.Data.find((p: { name: string }) => p.name === "partner-gold")?.rate;
};
const goldWrites = async () => (await call(`/api/audit-logs?p=-2&method=PUT&url=${world.incident.policyId}`)).body.audit_logs as unknown[];

beforeAll(async () => {
  sim = await startTykSimulator({ world, apiKey: API_KEY });
});
afterAll(async () => {
  await sim.close();
});

describe("simulator clock", () => {
  const culprit = world.events.find((e) => e.kind === "policy" && e.targetId === world.incident.policyId && e.action === "update")!;

  it("serves state, keys and audit log as of the clock over HTTP, then live again", async () => {
    expect(await goldRate()).toBe(2000);

    const before = new Date(culprit.at.getTime() - MIN).toISOString();
    const set = await setClock(before);
    expect(set.status).toBe(200);
    expect(Date.parse(set.body.asOf) - Date.parse(before)).toBeLessThan(MIN);
    expect(set.body.live).toBe(false);
    expect(await goldRate()).toBe(100);
    expect(await goldWrites()).toHaveLength(0);

    await setClock(new Date(culprit.at.getTime() + 30_000).toISOString());
    expect(await goldRate()).toBe(2000);
    expect(await goldWrites()).toEqual([expect.objectContaining({ user: "ada@acme.test", timestamp: culprit.at.getTime() / 1000 })]);

    // A day ago: the key created during the day does not exist yet, and the platinum policy neither.
    await setClock(new Date(world.anchor.getTime() - 24 * 60 * MIN).toISOString());
    const keys = (await call("/api/keys/detailed?p=-2")).body.keys as { data: { alias: string } }[];
    expect(keys.map((k) => k.data.alias)).not.toContain("maya-dev");
    expect((await call("/api/audit-logs?p=-2")).body.audit_logs).toHaveLength(0);

    const live = await setClock(null);
    expect(live.body.live).toBe(true);
    expect(Math.abs(Date.parse(live.body.asOf) - Date.now())).toBeLessThan(MIN);
    expect((await call("/api/keys/detailed?p=-2")).body.keys.map((k: { data: { alias: string } }) => k.data.alias)).toContain("maya-dev");
  });

  it("needs the API key and a valid body", async () => {
    expect((await setClock(null, "wrong")).status).toBe(401);
    expect((await setClock(null, null)).status).toBe(401);
    expect((await call("/_sim/clock", { method: "PUT", body: "{" })).status).toBe(400);
    expect((await call("/_sim/clock", { method: "PUT", body: JSON.stringify({ asOf: "yesterday-ish" }) })).status).toBe(400);
    expect((await call("/_sim/clock", { method: "POST", body: "{}" })).status).toBe(405);
    expect((await call("/_sim/clock")).body.live).toBe(true);
  });

  it("hides live writes made after the clock, via the in-process handle", async () => {
    const id = world.incident.policyId;
    const put = await call(`/api/portal/policies/${id}`, { method: "PUT", body: JSON.stringify({ rate: 3000 }) });
    expect(put.status).toBe(200);
    expect(await goldRate()).toBe(3000);
    sim.setClock(new Date(Date.now() - 10 * MIN));
    expect(await goldRate()).toBe(2000);
    expect((await call(`/api/audit-logs?p=-2&user=${CONSOLE_USER_EMAIL}`)).body.audit_logs).toHaveLength(0);
    sim.setClock(null);
    expect(await goldRate()).toBe(3000);
  });

  it("parses the clock body", () => {
    expect(parseClockBody('{"asOf":null}')).toEqual({ asOf: null });
    expect(parseClockBody('{"asOf":"2026-01-02T03:04:05Z"}')).toEqual({ asOf: new Date("2026-01-02T03:04:05Z") });
    expect(typeof parseClockBody("{}")).toBe("string");
  });
});
