// Issue 18's validation on the demo world: the investigation over the weighted sample written at
// ingest names the same suspects in the same order as the exact computation over every request,
// shares within 2 points, on every endpoint of the seeded day that has a spike to investigate.
// The demo world's endpoints all stay under the sampler's 2 req/s, so every row keeps weight 1 and
// the two answers must agree exactly: what this checks is the sample's read path (its rows read
// ungrouped, added up per cell here) against the exact one's GROUP BY over every request. The
// dense worlds (lib/investigation/sampled-answer.int.test.ts, the bench's density tiers) check the
// sampling itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { investigateEndpoint } from "@/lib/investigation/investigate-endpoint";
import { compareAnswers } from "@/lib/investigation/testing/compare-answers";
import { startSeededWorld, type SeededWorld } from "./helpers/seeded-world";

describe("the weighted sample on the demo world", () => {
  let s: SeededWorld;
  beforeAll(async () => {
    s = await startSeededWorld({ backfillMs: 24 * 3_600_000 });
  }, 600_000);
  afterAll(async () => s?.close());

  it("gives every spiking endpoint the exact computation's answer", { timeout: 300_000 }, async () => {
    const [{ sampled }] = await s.db.$queryRaw<{ sampled: number }[]>`SELECT count(*)::int AS sampled FROM request_records WHERE weight <> 1`;
    expect(sampled).toBe(0);
    const endpoints = await s.db.endpoint.findMany({ select: { id: true, method: true, path: true } });
    const compared: string[] = [];
    let largest = 0;
    for (const ep of endpoints) {
      const sampled = await investigateEndpoint(s.db, { endpointId: ep.id });
      if (!sampled.analysisWindows) continue;
      const exact = await investigateEndpoint(s.db, { endpointId: ep.id, exact: true });
      expect(exact.analysisWindows).toEqual(sampled.analysisWindows);
      const cmp = compareAnswers(exact, sampled);
      expect(cmp.candidate, `${ep.method} ${ep.path}`).toEqual(cmp.reference);
      expect(cmp.maxShareDeviationPp, `${ep.method} ${ep.path} (${cmp.maxAt})`).toBe(0);
      expect(sampled.suspects.map((x) => [x.share, x.evidence])).toEqual(exact.suspects.map((x) => [x.share, x.evidence]));
      largest = Math.max(largest, cmp.maxShareDeviationPp);
      compared.push(`${ep.method} ${ep.path}`);
    }
    // The seeded incident's endpoint and the kiosk fleet's are among them.
    expect(compared).toEqual(expect.arrayContaining([expect.stringMatching(/^GET .*\/orders$/), expect.stringMatching(/^POST .*\/shipping\/labels$/)]));
    console.log(`demo world: ${compared.length} spiking endpoints, sample read vs exact: same suspects in the same order, largest share deviation ${largest.toFixed(2)} pp`);
  });
});
