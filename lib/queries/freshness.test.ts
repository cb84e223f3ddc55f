import { describe, expect, it } from "vitest";
import { assessFreshness, type RunLike } from "./freshness";

const now = new Date("2026-01-01T12:00:00Z");
const ago = (s: number) => new Date(now.getTime() - s * 1000);
const run = (status: string, finishedSecondsAgo: number | null, errors: unknown = []): RunLike => ({
  status, startedAt: ago((finishedSecondsAgo ?? 0) + 5), finishedAt: finishedSecondsAgo === null ? null : ago(finishedSecondsAgo), errors,
});

describe("assessFreshness", () => {
  it("is fresh after a recent successful run", () => {
    expect(assessFreshness([run("succeeded", 30)], 60, now)).toEqual({ stale: false, lastGoodAt: ago(30), reason: null });
  });

  it("is stale when the newest finished run failed, and names the error and the last good run", () => {
    const f = assessFreshness([run("failed", 10, [{ step: "policies", message: "Tyk GET /api/portal/policies → 503" }]), run("succeeded", 70)], 60, now);
    expect(f.stale).toBe(true);
    expect(f.lastGoodAt).toEqual(ago(70));
    expect(f.reason).toContain("policies: Tyk GET /api/portal/policies → 503");
  });

  it("is stale when the last good run is older than 3 intervals", () => {
    const f = assessFreshness([run("succeeded", 181)], 60, now);
    expect(f.stale).toBe(true);
    expect(f.reason).toMatch(/3 × the 60 s interval/);
    expect(assessFreshness([run("succeeded", 179)], 60, now).stale).toBe(false);
  });

  it("ignores a run still in progress and counts partial runs as good", () => {
    expect(assessFreshness([run("running", null), run("partial", 20)], 60, now).stale).toBe(false);
  });

  it("is stale when Tyk was never synced", () => {
    expect(assessFreshness([], 60, now)).toMatchObject({ stale: true, lastGoodAt: null, reason: "Tyk has never been synced" });
    expect(assessFreshness([], 60, now, "the trace backend").reason).toBe("the trace backend has never been synced");
  });
});
