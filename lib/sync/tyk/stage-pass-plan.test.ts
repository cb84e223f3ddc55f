import { describe, expect, it } from "vitest";
import { nextStagePassState, planStagePass } from "./stage-pass-plan";

const now = new Date("2026-03-01T12:00:00Z");
const limits = { everyRuns: 12, everyMs: 3_600_000 };
const prev = { auditCoveredTo: "2026-03-01T11:55:00Z", fullAt: "2026-03-01T11:30:00Z", incrementalRuns: 3 };
const base = { baseline: false, auditAvailable: true, prev, now, limits, writes: [] };

describe("planStagePass", () => {
  it("skips a stage when the audit log shows no write it cares about", () => {
    expect(planStagePass({ ...base, stage: "policies", writes: [{ targetKind: "key", targetId: "k" }, { targetKind: "api", targetId: "a" }] })).toEqual({ mode: "skip" });
    expect(planStagePass({ ...base, stage: "oauth", writes: [{ targetKind: "policy", targetId: "p" }] })).toEqual({ mode: "skip" });
  });
  it("lists on a relevant write (an API write for OAuth clients too)", () => {
    expect(planStagePass({ ...base, stage: "policies", writes: [{ targetKind: "policy", targetId: null }] })).toEqual({ mode: "list", reason: "policy_write" });
    expect(planStagePass({ ...base, stage: "oauth", writes: [{ targetKind: "oauth_client", targetId: null }] })).toEqual({ mode: "list", reason: "oauth_client_write" });
    expect(planStagePass({ ...base, stage: "oauth", writes: [{ targetKind: "api", targetId: "a" }] })).toEqual({ mode: "list", reason: "api_write" });
  });
  it("lists on the first run, without an audit log, after a gap, and as a reconciliation", () => {
    expect(planStagePass({ ...base, stage: "policies", baseline: true }).mode).toBe("list");
    expect(planStagePass({ ...base, stage: "policies", auditAvailable: false })).toEqual({ mode: "list", reason: "no_audit" });
    expect(planStagePass({ ...base, stage: "policies", prev: null })).toEqual({ mode: "list", reason: "audit_gap" });
    expect(planStagePass({ ...base, stage: "policies", prev: { ...prev, auditCoveredTo: null } })).toEqual({ mode: "list", reason: "audit_gap" });
    expect(planStagePass({ ...base, stage: "oauth", prev: { ...prev, incrementalRuns: 11 } })).toEqual({ mode: "list", reason: "every_runs" });
    expect(planStagePass({ ...base, stage: "oauth", now: new Date("2026-03-01T12:30:00Z") })).toEqual({ mode: "list", reason: "every_ms" });
  });
  it("counts skips since the last listing", () => {
    const at = new Date("2026-03-01T12:00:00Z");
    expect(nextStagePassState(prev, { mode: "skip" }, at, "x")).toEqual({ auditCoveredTo: "x", fullAt: prev.fullAt, incrementalRuns: 4 });
    expect(nextStagePassState(prev, { mode: "list", reason: "r" }, at, null)).toEqual({ auditCoveredTo: null, fullAt: at.toISOString(), incrementalRuns: 0 });
  });
});
