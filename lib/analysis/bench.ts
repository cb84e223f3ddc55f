// Micro-benchmark (not a test): `npx tsx lib/analysis/bench.ts`. Times each stage of an
// investigation over a ~50k-row request sample (the demo scenario with 40 callers), after warm-up.
import { performance } from "node:perf_hooks";
import { cellsFromRequests, indexTraffic } from "./traffic";
import { detectSpike, windowsForSpike } from "./spike";
import { findTouches } from "./touches";
import { attribute } from "./attribute";
import { makeScenario, seriesFromRequests, steady, uniform, type Caller } from "./testing/synthetic-traffic";

const batch: Caller = { key: "k-batch", identity: "svc-batch", policies: ["pol-gold"], rate: (p) => (p === "B" ? 2 : 7000), latency: (_p, r) => uniform(1000, 3000)(r), sampleRate: 0.05 };
const callers = [batch, steady("k-heavy", 250), ...Array.from({ length: 40 }, (_, i) => steady(`k-${i}`, 5, { policies: [`pol-${i % 5}`] }))];
const s = makeScenario(callers, { seed: 1 });
const series = seriesFromRequests(s.requests);

function once() {
  const t: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string) => { const now = performance.now(); t[name] = now - t0; t0 = now; };
  const spike = detectSpike(series);
  lap("detectSpike");
  if (spike.kind !== "spike") throw new Error("no spike in the bench scenario");
  const windows = windowsForSpike(spike, { now: series[series.length - 1].ts });
  const cells = cellsFromRequests(s.requests);
  lap("cellsFromRequests");
  const traffic = indexTraffic(cells, windows);
  lap("indexTraffic");
  const touches = findTouches([], traffic, { apiId: "api-shop", start: spike.start });
  lap("findTouches");
  attribute(traffic, touches.changes, { start: spike.start });
  lap("attribute");
  return { t, cells: cells.length };
}

for (let i = 0; i < 3; i++) once();
const runs = Array.from({ length: 5 }, once);
console.log(`requests: ${s.requests.length}, cells: ${runs[0].cells}, minutes: ${series.length}`);
for (const k of Object.keys(runs[0].t)) {
  const v = runs.map((r) => r.t[k]).sort((a, b) => a - b);
  console.log(`${k.padEnd(18)} median ${v[2].toFixed(1)} ms`);
}
const total = runs.map((r) => Object.values(r.t).reduce((a, b) => a + b, 0)).sort((a, b) => a - b);
console.log(`${"total".padEnd(18)} median ${total[2].toFixed(1)} ms`);
