import { describe, expect, it } from "vitest";
import { buildHistory, type ChangeView } from "./access-changes";

const t = (m: number) => new Date(Date.UTC(2026, 0, 1, 10, m));
const change = (version: number | null, at: Date, actor: string | null = "ada@acme.test"): ChangeView => ({
  id: `c${version}-${at.getTime()}`, kind: "policy", action: version === null ? "update" : "update", targetId: "p1", targetLabel: "gold",
  version, actor, changedAt: at, timeSource: actor ? "audit" : "first_seen", diff: [], auditEntries: [],
});

describe("buildHistory", () => {
  it("pairs versions with their change, keeps the baseline without one, and slots pre-sync writes by time", () => {
    const versions = [
      { version: 1, observedAt: t(30), diff: [] },
      { version: 2, observedAt: t(50), diff: [{ path: "rate", before: 100, after: 2000 }] },
    ];
    const changes = [change(2, t(45)), change(null, t(10), "rui@acme.test")];
    const h = buildHistory(versions, changes);
    expect(h.map((i) => (i.type === "version" ? `v${i.version}` : "pre"))).toEqual(["v2", "v1", "pre"]);
    expect(h[0]).toMatchObject({ type: "version", change: { actor: "ada@acme.test" } });
    expect(h[1]).toMatchObject({ type: "version", change: null });
    expect(h[2]).toMatchObject({ type: "pre-sync", change: { actor: "rui@acme.test" } });
  });

  it("orders versions seen in the same instant by number", () => {
    const h = buildHistory([{ version: 1, observedAt: t(5), diff: [] }, { version: 2, observedAt: t(5), diff: [] }], []);
    expect(h.map((i) => (i.type === "version" ? i.version : 0))).toEqual([2, 1]);
  });
});
