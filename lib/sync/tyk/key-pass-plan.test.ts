import { describe, expect, it } from "vitest";
import { DEFAULT_FULL_RECONCILE, nextKeyPassState, planKeyPass, type KeyPassState } from "./key-pass-plan";

const now = new Date("2026-03-01T12:00:00Z");
const prev: KeyPassState = { auditCoveredTo: "2026-03-01T11:50:00Z", fullAt: "2026-03-01T11:30:00Z", incrementalRuns: 2 };
const plan = (over: Partial<Parameters<typeof planKeyPass>[0]> = {}) =>
  planKeyPass({ baseline: false, auditAvailable: true, prev, now, limits: DEFAULT_FULL_RECONCILE, writes: [], ...over });

describe("planKeyPass", () => {
  it("targets exactly the keys audited writes name", () => {
    expect(plan()).toEqual({ mode: "targeted", keyHashes: [] });
    const writes = [{ targetKind: "key", targetId: "b" }, { targetKind: "key", targetId: "a" }, { targetKind: "key", targetId: "b" }, { targetKind: null, targetId: null }];
    expect(plan({ writes })).toEqual({ mode: "targeted", keyHashes: ["a", "b"] });
  });
  it("lists everything whenever the audit log cannot say what changed", () => {
    expect(plan({ baseline: true })).toMatchObject({ mode: "full", reason: "baseline" });
    expect(plan({ auditAvailable: false })).toMatchObject({ mode: "full", reason: "no_audit" });
    expect(plan({ prev: null })).toMatchObject({ mode: "full", reason: "audit_gap" });
    expect(plan({ prev: { ...prev, auditCoveredTo: null } })).toMatchObject({ mode: "full", reason: "audit_gap" });
    expect(plan({ writes: [{ targetKind: "key", targetId: null }] })).toMatchObject({ mode: "full", reason: "key_create" });
    expect(plan({ writes: [{ targetKind: "policy", targetId: "p" }] })).toMatchObject({ mode: "full", reason: "policy_write" });
    expect(plan({ writes: [{ targetKind: "api", targetId: "x" }] })).toMatchObject({ mode: "full", reason: "api_write" });
    const many = Array.from({ length: DEFAULT_FULL_RECONCILE.maxTargets + 1 }, (_, i) => ({ targetKind: "key", targetId: `k${i}` }));
    expect(plan({ writes: many })).toMatchObject({ mode: "full", reason: "many_targets" });
  });
  it("reconciles in full every N runs and every hour", () => {
    expect(plan({ prev: { ...prev, incrementalRuns: DEFAULT_FULL_RECONCILE.everyRuns - 1 } })).toMatchObject({ reason: "every_runs" });
    expect(plan({ now: new Date("2026-03-01T12:30:00Z") })).toMatchObject({ reason: "every_ms" });
    expect(plan({ limits: { ...DEFAULT_FULL_RECONCILE, everyRuns: 100, everyMs: 86_400_000 }, now: new Date("2026-03-01T12:30:00Z") }).mode).toBe("targeted");
  });
  it("nextKeyPassState counts change-driven runs since the last full listing", () => {
    const at = new Date("2026-03-01T12:01:00Z");
    expect(nextKeyPassState(prev, { mode: "targeted", keyHashes: [] }, at, "x")).toEqual({ auditCoveredTo: "x", fullAt: prev.fullAt, incrementalRuns: 3 });
    expect(nextKeyPassState(prev, { mode: "full", reason: "" }, at, null)).toEqual({ auditCoveredTo: null, fullAt: at.toISOString(), incrementalRuns: 0 });
  });
});
