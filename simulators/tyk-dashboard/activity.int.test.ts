import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorld } from "../world";
import { startTykSimulator, type TykSimulator } from "./server";

const API_KEY = "test-dashboard-key";
const HOUR = 3_600_000;
const world = createWorld({ seed: 11 });
let sim: TykSimulator;

const datePath = (d: Date) => `${d.getUTCDate()}/${d.getUTCMonth() + 1}/${d.getUTCFullYear()}`;
async function get(path: string) {
  const res = await fetch(sim.url + path, { headers: { Authorization: API_KEY } });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  sim = await startTykSimulator({ world, apiKey: API_KEY, pageSize: 10 });
});
afterAll(async () => {
  await sim.close();
});

describe("GET /api/activity/keys/{keyHash}/...", () => {
  const now = new Date();
  const yesterday = new Date(now.getTime() - 24 * HOUR);
  const range = `${datePath(yesterday)}/${datePath(now)}`;
  const key = () => world.stateAt(now).keys.find((k) => k.alias === "globex-batch")!;

  it("returns the key's requests per hour, counted as Tyk Pump counts them, in the spec's ResultUnit shape", async () => {
    const k = key();
    const { status, body } = await get(`/api/activity/keys/${k.hash}/${range}?res=hour&p=-1`);
    expect(status).toBe(200);
    expect(body.pages).toBe(1);
    expect(body.data.length).toBeGreaterThan(10);
    expect(Object.keys(body.data[0]).sort()).toEqual(["error", "hits", "id", "last_hit", "latency", "max_latency", "max_upstream_latency",
      "min_latency", "min_upstream_latency", "request_time", "success", "upstream_latency"]);
    expect(Object.keys(body.data[0].id).sort()).toEqual(["alias", "api_id", "api_name", "code", "day", "hour", "iso_country", "key",
      "month", "path", "url", "year"]);
    expect(body.data[0].last_hit).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // Compare two whole past hours against the world's own requests.
    for (const unit of body.data.slice(-4, -2)) {
      const start = Date.UTC(unit.id.year, unit.id.month - 1, unit.id.day, unit.id.hour);
      const reqs = world.requestsBetween(start, start + HOUR).filter((r) => r.keyHash === k.hash);
      expect(unit.hits).toBe(reqs.length);
      expect(unit.error).toBe(reqs.filter((r) => r.status >= 400).length);
      expect(unit.success).toBe(reqs.filter((r) => r.status >= 200 && r.status < 300).length);
      expect(unit.request_time).toBeCloseTo(reqs.reduce((a, r) => a + r.latencyMs, 0) / reqs.length, 2);
      expect(unit.id.alias).toBe("globex-batch");
    }
  });

  it("groups by day without res (the default, as res=day) and the day sums equal the hourly ones", async () => {
    const k = key();
    const hourly = (await get(`/api/activity/keys/${k.hash}/${range}?res=hour&p=-1`)).body.data as { hits: number; id: { day: number } }[];
    const daily = (await get(`/api/activity/keys/${k.hash}/${range}?p=-1`)).body.data as { hits: number; id: { day: number; hour: number } }[];
    expect(daily.length).toBeLessThanOrEqual(2);
    for (const d of daily) {
      expect(d.id.hour).toBe(0);
      // The current hour may have grown between the two calls.
      expect(d.hits).toBeGreaterThanOrEqual(hourly.filter((h) => h.id.day === d.id.day).reduce((a, h) => a + h.hits, 0));
    }
  });

  it("pages with p= and reports the page count", async () => {
    const k = key();
    const first = (await get(`/api/activity/keys/${k.hash}/${range}?res=hour&p=1`)).body;
    expect(first.data).toHaveLength(10);
    expect(first.pages).toBeGreaterThan(1);
    const second = (await get(`/api/activity/keys/${k.hash}/${range}?res=hour&p=2`)).body;
    expect(second.data[0].id.hour).not.toBe(first.data[0].id.hour);
  });

  it("serves the OAuth-client variant, empty data for an unknown key, 400 for a bad date", async () => {
    const withClient = world.stateAt(now).keys.find((k) => k.oauthClientId);
    if (withClient) {
      const { status, body } = await get(`/api/activity/oauthid/${withClient.oauthClientId}/${range}?res=hour&p=-1`);
      expect(status).toBe(200);
      expect(Array.isArray(body.data)).toBe(true);
    }
    expect((await get(`/api/activity/keys/nope/${range}?res=hour&p=-1`)).body).toEqual({ data: [], pages: 1 });
    expect((await get(`/api/activity/keys/${key().hash}/31/2/2026/1/3/2026`)).status).toBe(400);
    expect((await get(`/api/activity/keys/${key().hash}/${range}?res=minute`)).status).toBe(400);
  });
});
