// Investigations of windows older than the raw horizon: retention drops a day's request records but
// keeps its weighted sample (request_samples), so a scenario investigated again once all its days are
// past the horizon names the same suspects, in the same order, with the same shares and verdict.
// Exemplar traces come from the sample's tail (not necessarily the same ones), and the upstream/gateway
// latency split is gone with the records.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";
import { scenarioLibrary } from "./library";
import { runScenario } from "./runner";
import type { ScenarioAnswer } from "./scenario";

// A flood at 15 req/s (sampled), a change that let a key through, a deploy (traces), and a null case.
const NAMES = ["flood", "api-limit-removed", "deploy-slowdown", "upstream-slowdown"];
let pump: FreshDatabase;

beforeAll(async () => {
  pump = await freshDatabase({ migrate: false });
}, 60_000);
afterAll(async () => pump?.drop());

const ranked = (a: ScenarioAnswer) => ({
  verdict: a.verdict.verdict,
  suspects: a.suspects.map((s) => ({ kind: s.kind, id: s.id, share: s.share, mechanism: s.mechanism })),
  notSignificant: a.notSignificant.map((s) => ({ kind: s.kind, id: s.id, share: s.share })),
});

describe("an investigation past the raw horizon", () => {
  for (const s of scenarioLibrary().filter((x) => NAMES.includes(x.name))) {
    it(`${s.name}: the same answer from the kept sample once the records are dropped`, async () => {
      const { answer, pastHorizon, judgement } = await runScenario(s, { pumpUrl: pump.url, pastRawHorizon: true });
      expect(judgement.error).toBeUndefined();
      expect(pastHorizon).toBeDefined();
      expect(ranked(pastHorizon!)).toEqual(ranked(answer!));
      // Exemplar traces come from the kept sample's slowest requests where the records gave some.
      const exemplars = (a: ScenarioAnswer) => a.suspects.map((x) => ((x.evidence?.exemplarTraceIds as string[] | undefined) ?? []).length > 0);
      expect(exemplars(pastHorizon!)).toEqual(exemplars(answer!));
      if (s.expected.culprit) expect(pastHorizon!.suspects.length).toBeGreaterThan(0);
    }, 240_000);
  }
});
