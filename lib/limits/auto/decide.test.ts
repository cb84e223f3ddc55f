import { describe, expect, it } from "vitest";
import { decideStep, judgeChange, type AutoSettings, type ChangeEvidence } from "./decide";

const MIN = 60_000;
const NOW = Date.UTC(2026, 11, 7, 12, 0);
const S: AutoSettings = { enabled: true, minPerMin: 20, maxPerMin: 500, maxStep: 0.25, cooldownMinutes: 30, intervalMinutes: 5, rollbackMinutes: 15 };
const step = (o: Partial<Parameters<typeof decideStep>[0]> = {}) =>
  decideStep({ now: NOW, settings: S, killSwitch: false, current: { rate: 100, per: 60 }, recommended: { rate: 40, per: 60 }, lastChangeAt: null, ...o });

describe("decideStep", () => {
  it("moves toward the recommendation by at most the step", () => {
    expect(step()).toMatchObject({ kind: "change", to: { rate: 75, per: 60 } });
    expect(step({ current: { rate: 45, per: 60 } })).toMatchObject({ kind: "change", to: { rate: 40, per: 60 } });
    expect(step({ settings: { ...S, maxStep: 0.1 } })).toMatchObject({ kind: "change", to: { rate: 90, per: 60 } });
    expect(step().reason).toMatch(/lower 100 per 60 s → 75 per 60 s .*capped at a 25% step/);
  });

  it("converts between windows: 10 per 1 s is 600/min, stepped to 450/min in the recommendation's 60 s window", () => {
    expect(step({ current: { rate: 10, per: 1 }, recommended: { rate: 40, per: 60 } })).toMatchObject({ kind: "change", to: { rate: 450, per: 60 } });
  });

  it("keeps within the admin's bounds, and moves into them from outside", () => {
    expect(step({ current: { rate: 25, per: 60 }, recommended: { rate: 5, per: 60 } })).toMatchObject({ kind: "change", to: { rate: 20, per: 60 } });
    expect(step({ current: { rate: 20, per: 60 }, recommended: { rate: 5, per: 60 } })).toMatchObject({ kind: "none", reason: expect.stringMatching(/^at the target.*held to the bounds 20–500/) });
    // Over the max: down toward it, a step at a time.
    expect(step({ current: { rate: 1000, per: 60 }, recommended: { rate: 1000, per: 60 } })).toMatchObject({ kind: "change", to: { rate: 750, per: 60 } });
    // Under the min: up toward it, a step at a time, never past it.
    expect(step({ current: { rate: 10, per: 60 }, recommended: { rate: 10, per: 60 } })).toMatchObject({ kind: "change", to: { rate: 12, per: 60 } });
    expect(step({ current: { rate: 18, per: 60 }, recommended: { rate: 10, per: 60 } })).toMatchObject({ kind: "change", to: { rate: 20, per: 60 } });
  });

  it("no change within the cooldown of the policy's last change, and after it again", () => {
    const d = step({ lastChangeAt: NOW - 29 * MIN });
    expect(d).toMatchObject({ kind: "none", reason: expect.stringMatching(/^cooling down: .* 11:31, within the 30-minute cooldown \(until 12:01\)/) });
    expect(step({ lastChangeAt: NOW - 30 * MIN }).kind).toBe("change");
  });

  it("nothing with the kill switch on, automatic mode off, or no limit to step from", () => {
    expect(step({ killSwitch: true })).toMatchObject({ kind: "none", reason: expect.stringMatching(/kill switch is on/) });
    expect(step({ settings: { ...S, enabled: false } })).toMatchObject({ kind: "none", reason: expect.stringMatching(/off/) });
    expect(step({ current: null })).toMatchObject({ kind: "none", reason: expect.stringMatching(/no rate limit to step from/) });
  });

  it("never steps below one request per window", () => {
    expect(step({ settings: { ...S, minPerMin: 0.1, maxStep: 1 }, current: { rate: 2, per: 60 }, recommended: { rate: 1, per: 600 } }))
      .toMatchObject({ kind: "change", to: { rate: 1, per: 600 } });
  });
});

const E: ChangeEvidence = {
  objectiveMs: 200, p99BeforeMs: 400, p99AfterMs: 150, normalRejectedBefore: 0, normalRejectedAfter: 0, normalCallers: [], dataThrough: NOW,
};
const judge = (e: Partial<ChangeEvidence> = {}, o: Partial<Parameters<typeof judgeChange>[0]> = {}) =>
  judgeChange({ now: NOW, settings: S, killSwitch: false, changeAt: NOW - 15 * MIN, evidence: { ...E, ...e }, ...o });

describe("judgeChange (self-rollback)", () => {
  it("keeps a change after which p99 improved and no normal caller was rejected", () => {
    expect(judge()).toMatchObject({ kind: "keep", reason: expect.stringMatching(/^kept: p99 400 ms before → 150 ms after/) });
  });

  it("waits for the rollback window and for the requests of it to be ingested", () => {
    expect(judge({}, { changeAt: NOW - 14 * MIN })).toMatchObject({ kind: "wait", reason: expect.stringMatching(/judged at 12:01/) });
    expect(judge({ dataThrough: NOW - MIN })).toMatchObject({ kind: "wait", reason: expect.stringMatching(/waiting for the requests up to 12:00/) });
    expect(judge({ dataThrough: null }).kind).toBe("wait");
  });

  it("rolls back when callers within their normal peak got more 429s, naming them", () => {
    const j = judge({ normalRejectedBefore: 1, normalRejectedAfter: 40, normalCallers: [{ key: "k1", label: "mobile-app", rejected: 40, peakPerMin: 12 }] });
    expect(j).toMatchObject({ kind: "rollback", reason: expect.stringMatching(/^callers within their normal peak were rejected: 1 → 40 .*\(mobile-app 40\)/) });
    expect(judge({ normalRejectedBefore: 3, normalRejectedAfter: 3 }).kind).toBe("keep");
  });

  it("rolls back when a slow p99 did not improve, or a fine one rose past the objective", () => {
    expect(judge({ p99AfterMs: 400 })).toMatchObject({ kind: "rollback", reason: expect.stringMatching(/^p99 did not improve: p99 400 ms before → 400 ms after/) });
    expect(judge({ p99BeforeMs: 120, p99AfterMs: 260 })).toMatchObject({ kind: "rollback", reason: expect.stringMatching(/^p99 rose past the objective 200 ms/) });
    // Within the objective before and after: nothing to improve, kept.
    expect(judge({ p99BeforeMs: 120, p99AfterMs: 130 }).kind).toBe("keep");
    // Without an objective the p99 must fall.
    expect(judge({ objectiveMs: null, p99BeforeMs: 120, p99AfterMs: 130 }).kind).toBe("rollback");
  });

  it("with the kill switch on, the check waits instead of writing", () => {
    expect(judge({ normalRejectedAfter: 9 }, { killSwitch: true })).toMatchObject({ kind: "wait", reason: expect.stringMatching(/kill switch/) });
  });
});
