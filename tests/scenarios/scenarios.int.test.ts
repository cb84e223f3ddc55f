// The scenario library through Touchline's real pipeline (./runner): each scenario's answer judged
// against its expected one, and the scoreboard printed — culprit first, expected companions in the
// top three, null cases with zero significant suspects. SCENARIOS=name,name runs a subset.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";
import { scenarioLibrary } from "./library";
import { runScenario } from "./runner";
import { describe as describeMatch, scoreboard, type Judgement } from "./scenario";

const only = process.env.SCENARIOS?.split(",").filter(Boolean);
const library = scenarioLibrary().filter((s) => !only?.length || only.includes(s.name));
const results: Judgement[] = [];
let pump: FreshDatabase;

beforeAll(async () => {
  pump = await freshDatabase({ migrate: false });
}, 60_000);

afterAll(async () => {
  if (results.length) {
    const lines = results.map((r) => {
      const verdict = r.culpritScenario ? `${r.culpritFirst ? "✓" : "✗"} culprit first, ${r.topThree ? "✓" : "✗"} top three` : `${r.quiet ? "✓" : "✗"} quiet`;
      return `  ${r.name.padEnd(26)} ${verdict}${r.error ? ` — error: ${r.error}` : ""}\n${r.answered.map((a) => `      ${a}`).join("\n") || "      (no significant suspect)"}`
        + `${process.env.SCENARIO_LOG && r.summary ? `\n      “${r.summary}”` : ""}${process.env.SCENARIO_LOG && r.detail ? `\n      detail: ${r.detail}` : ""}${r.checkFailures.length ? `\n      checks: ${r.checkFailures.join("; ")}` : ""}`;
    });
    console.log(`\nScenario library\n${lines.join("\n")}\nScoreboard: ${scoreboard(results)}\n`);
  }
  await pump?.drop();
});

describe("the scenario library", () => {
  for (const s of library) {
    it(`${s.name}: ${s.story}`, async () => {
      const { judgement } = await runScenario(s, { pumpUrl: pump.url });
      results.push(judgement);
      expect(judgement.error).toBeUndefined();
      if (s.expected.culprit === null) {
        expect(judgement.answered, "a null scenario names no significant suspect").toEqual([]);
      } else {
        expect(judgement.culpritFirst, `culprit first: ${describeMatch(s.expected.culprit)}; answered ${judgement.answered.join(" | ")}`).toBe(true);
        expect(judgement.topThree, `top three: ${[s.expected.culprit, ...s.expected.companions].map(describeMatch).join(", ")}`).toBe(true);
      }
      expect(judgement.checkFailures).toEqual([]);
    }, 180_000);
  }
});
