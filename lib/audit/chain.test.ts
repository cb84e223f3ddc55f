import { describe, expect, it } from "vitest";
import { chainHash, GENESIS_HASH, verifyChain, type ChainRow } from "./chain";

function build(n: number): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const fields = {
      at: new Date(Date.UTC(2026, 10, 1, 0, i)),
      actorType: "user",
      actorId: `u${i}`,
      actorEmail: "ada@acme.test",
      action: "policy.update",
      targetType: "policy",
      targetId: "p1",
      ip: "127.0.0.1",
      userAgent: null,
      requestId: `r${i}`,
      details: { b: 2, a: { y: 1, x: [1, 2] } },
    };
    const hash = chainHash(prev, fields);
    rows.push({ ...fields, id: i, prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

describe("audit hash chain", () => {
  it("verifies an intact chain regardless of key order in details", () => {
    const rows = build(5).map((r) => ({ ...r, details: { a: { x: [1, 2], y: 1 }, b: 2 } }));
    expect(verifyChain(rows)).toEqual({ ok: true, rows: 5 });
  });

  it("detects an edited row", () => {
    const rows = build(5);
    rows[2] = { ...rows[2], actorEmail: "mallory@acme.test" };
    const verdict = verifyChain(rows);
    expect(verdict).toMatchObject({ ok: false, brokenAt: "3" });
  });

  it("detects a deleted row", () => {
    const rows = build(5);
    rows.splice(1, 1);
    expect(verifyChain(rows)).toMatchObject({ ok: false, brokenAt: "3", reason: expect.stringMatching(/removed/) });
  });
});
