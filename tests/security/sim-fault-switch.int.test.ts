import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLightstepSimulator, type LightstepSimulator } from "@/simulators/lightstep/server";
import { startTykSimulator, type TykSimulator } from "@/simulators/tyk-dashboard/server";
import { createWorld } from "@/simulators/world";

// The fault switch of the running simulators (PUT /_sim/fault), which the e2e stale-banner spec
// drives over HTTP: guarded by the simulator's API key, validated, and it really breaks the next call.
const KEY = "fault-switch-key";
const world = createWorld({ seed: 5 });
let tyk: TykSimulator;
let ls: LightstepSimulator;

beforeAll(async () => {
  tyk = await startTykSimulator({ world, apiKey: KEY });
  ls = await startLightstepSimulator({ world, apiKey: KEY, org: "acme", project: "production", rateLimitPerSec: 100 });
});

afterAll(async () => {
  await tyk?.close();
  await ls?.close();
});

const put = (url: string, body: unknown, auth: string | null = KEY) =>
  fetch(`${url}/_sim/fault`, {
    method: "PUT",
    headers: { "Content-Type": "application/json", ...(auth ? { Authorization: `Bearer ${auth}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

describe.each([
  { name: "Tyk Dashboard", url: () => tyk.url, probe: "/api/apis" },
  { name: "Lightstep", url: () => ls.url, probe: "/public/v0.2/acme/projects/production/directory/services" },
])("$name simulator: PUT /_sim/fault", ({ url, probe }) => {
  const get = () => fetch(`${url()}${probe}`, { headers: { Authorization: `Bearer ${KEY}` } });

  it("refuses a caller without the simulator's API key", async () => {
    expect((await put(url(), { fault: { kind: "500" } }, null)).status).toBe(401);
    expect((await put(url(), { fault: { kind: "500" } }, "wrong")).status).toBe(401);
    expect((await get()).status).toBe(200);
  });

  it("rejects a malformed body with 400 and changes nothing", async () => {
    for (const body of ["not json", { kind: "500" }, { fault: { kind: "explode" } }, { fault: { kind: "500", times: -1 } }]) {
      expect((await put(url(), body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await get()).status).toBe(200);
  });

  it("sets a 500 fault that the next API call gets, and clears it", async () => {
    expect((await put(url(), { fault: { kind: "500", times: 1000 } })).status).toBe(200);
    expect((await get()).status).toBe(500);
    expect((await get()).status).toBe(500);
    expect((await put(url(), { fault: null })).status).toBe(200);
    expect((await get()).status).toBe(200);
  });
});
