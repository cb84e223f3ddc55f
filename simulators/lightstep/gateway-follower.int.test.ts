import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTykSimulator, type TykSimulator } from "../tyk-dashboard/server";
import { createWorld } from "../world";
import { startLightstepSimulator, type LightstepSimulator } from "./server";

// A limit written to the Tyk simulator reaches the Lightstep simulator's copy of the world: the
// culprit's refused requests are 429 root spans without upstream time there too, and the requests
// let through are as fast as the Tyk simulator's world says.
const KEY = "follower-key";
// Within the last day: the simulator finds stored traces among the last 25 hours.
const anchor = new Date(Date.now() - 60 * 60_000);
const tykWorld = createWorld({ seed: 7, anchor });
const lsWorld = createWorld({ seed: 7, anchor });
const reference = createWorld({ seed: 7, anchor });
const { spikeStart, spikeEnd, policyId, culpritKeyHash } = reference.incident;
const cut = new Date(spikeStart.getTime() + 10 * 60_000);
let tyk: TykSimulator;
let ls: LightstepSimulator;

beforeAll(async () => {
  tyk = await startTykSimulator({ world: tykWorld, apiKey: KEY });
  ls = await startLightstepSimulator({ world: lsWorld, apiKey: KEY, org: "acme", project: "production", rateLimitPerSec: 100,
    gateway: { url: tyk.url, apiKey: KEY, intervalMs: 60_000 } });
});
afterAll(async () => {
  await ls?.close();
  await tyk?.close();
});

const rootSpan = async (spanId: string) => {
  const res = await fetch(`${ls.url}/public/v0.2/acme/projects/production/stored-traces?span-id=${spanId}`, { headers: { Authorization: `Bearer ${KEY}` } });
  const body = (await res.json()) as { data: { attributes: { spans: { "span-id": string; "start-time-micros": number; "end-time-micros": number; tags: Record<string, unknown> }[] } }[] };
  return body.data[0].attributes.spans.find((s) => s["span-id"] === spanId)!;
};

describe("the Lightstep simulator follows the Tyk simulator's gateway limits", () => {
  it("serves the culprit's refused requests as 429s once the policy was written, and the others' latencies agree", async () => {
    const late = (w: typeof reference) => w.requestsBetween(cut.getTime() + 5 * 60_000, spikeEnd.getTime());
    const flood = late(reference).find((r) => r.keyHash === culpritKeyHash && r.template === "/orders")!;
    expect((await rootSpan(flood.spanId)).tags["http.status_code"]).toBe(200); // nothing written yet

    // The Dashboard's clock set into the flood: the write is stamped there, as an apply at that moment would be.
    tyk.setClock(cut);
    const res = await fetch(`${tyk.url}/api/portal/policies/${policyId}`, { method: "PUT", headers: { Authorization: KEY }, body: JSON.stringify({ rate: 5, per: 60 }) });
    expect(res.status).toBe(200);
    await ls.followGateway();

    reference.writePolicy({ id: policyId, at: tykWorld.policyWrites()[0].at, body: tykWorld.policyWrites()[0].body });
    const expected = late(reference);
    const refused = expected.find((r) => r.keyHash === culpritKeyHash && r.status === 429)!;
    const span = await rootSpan(refused.spanId);
    expect(span.tags["http.status_code"]).toBe(429);
    expect(span["end-time-micros"] - span["start-time-micros"]).toBe(refused.gatewayMs * 1000);

    const other = expected.find((r) => r.template === "/orders" && r.keyHash !== culpritKeyHash && r.traceId)!;
    const otherSpan = await rootSpan(other.spanId);
    expect(otherSpan["end-time-micros"] - otherSpan["start-time-micros"]).toBe(other.latencyMs * 1000);
    expect(late(tykWorld)).toEqual(expected);
  });

  it("starts a flood through PUT /_sim/flood (validated) that both copies of the world run", async () => {
    const put = (body: string) => fetch(`${tyk.url}/_sim/flood`, { method: "PUT", headers: { Authorization: KEY }, body });
    expect((await put(JSON.stringify({ minutes: 0 }))).status).toBe(400);
    expect(((await (await put("{")).json()) as { Message: string }).Message).toBe("body is not JSON");
    const res = await put(JSON.stringify({ minutes: 15 }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { minutes: number }).minutes).toBe(15);
    await ls.followGateway();
    expect(lsWorld.floods()).toEqual(tykWorld.floods());
    expect(lsWorld.floods()).toHaveLength(1);
  });
});
