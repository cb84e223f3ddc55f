import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GENESIS_HASH, KEYED, keyedHash, PLAIN, plainHash, verifyChain, type ChainRow, type CheckpointClaim } from "./chain";
import { checkCheckpoints, signCheckpoint } from "./checkpoint";
import { parseAuditKey, type AuditKey } from "./keys";

const newKey = (): AuditKey => parseAuditKey(randomBytes(32).toString("base64"), "TEST_KEY");

function fieldsOf(i: number) {
  return {
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
}

/** `n` rows; the first `plain` of them hashed without a key (as before the key was configured). */
function build(n: number, key: AuditKey | null, plain = key ? 0 : n): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const fields = fieldsOf(i);
    const keyed = key && i > plain;
    const hash = keyed ? keyedHash(prev, fields, key) : plainHash(prev, fields);
    rows.push({ ...fields, id: i, prevHash: prev, hash, alg: keyed ? KEYED : PLAIN, keyId: keyed ? key.id : null });
    prev = hash;
  }
  return rows;
}

/** What a checkpoint written after the first `n` rows would claim. */
function claimAt(rows: ChainRow[], n: number): CheckpointClaim {
  let plain = GENESIS_HASH;
  for (const r of rows.slice(0, n)) plain = plainHash(plain, r);
  return { at: "2026-11-01T01:00:00.000Z", rows: n, headId: String(rows[n - 1].id), headHash: rows[n - 1].hash, plainHead: plain };
}

/** Re-hashes every row from `from` on with plain sha256, as someone without the key would. */
function recompute(rows: ChainRow[], from: number): ChainRow[] {
  let prev = from === 0 ? GENESIS_HASH : rows[from - 1].hash;
  return rows.map((r, i) => {
    if (i < from) return r;
    const hash = plainHash(prev, r);
    const out = { ...r, prevHash: prev, hash, alg: PLAIN, keyId: null };
    prev = hash;
    return out;
  });
}

describe("audit hash chain", () => {
  it("verifies an intact keyed chain regardless of key order in details", () => {
    const key = newKey();
    const rows = build(5, key).map((r) => ({ ...r, details: { a: { x: [1, 2], y: 1 }, b: 2 } }));
    expect(verifyChain(rows, [key])).toMatchObject({ ok: true, rows: 5, keyedRows: 5, plainRows: 0 });
  });

  it("still verifies rows hashed with plain sha256 before the key was set, followed by keyed ones", () => {
    const key = newKey();
    expect(verifyChain(build(6, key, 3), [key])).toMatchObject({ ok: true, rows: 6, keyedRows: 3, plainRows: 3 });
    expect(verifyChain(build(4, null))).toMatchObject({ ok: true, plainRows: 4 });
  });

  it("detects an edited row", () => {
    const key = newKey();
    const rows = build(5, key);
    rows[2] = { ...rows[2], actorEmail: "mallory@acme.test" };
    expect(verifyChain(rows, [key])).toMatchObject({ ok: false, kind: "edited", brokenAt: "3" });
  });

  it("detects a row removed from the middle", () => {
    const rows = build(5, newKey());
    rows.splice(1, 1);
    expect(verifyChain(rows, [])).toMatchObject({ ok: false, kind: "removed", brokenAt: "3", reason: expect.stringMatching(/removed/) });
  });

  it("detects a chain re-hashed without the key: plain rows after keyed ones", () => {
    const key = newKey();
    const rows = recompute(build(6, key), 3);
    rows[4] = { ...rows[4], actorEmail: "mallory@acme.test" };
    const again = recompute(rows, 3);
    expect(verifyChain(again, [key])).toMatchObject({ ok: false, kind: "recomputed", brokenAt: "4" });
  });

  it("detects a chain re-hashed from the first row by comparing it with a signed checkpoint", () => {
    const key = newKey();
    const rows = build(6, key);
    const checkpoint = claimAt(rows, 4);
    const forged = recompute(rows.map((r, i) => (i === 1 ? { ...r, action: "nothing.happened" } : r)), 0);
    // The chain alone looks like an old unkeyed install…
    expect(verifyChain(forged, [key]).ok).toBe(true);
    // …the checkpoint says otherwise: a plain row where keyed ones must be, or a head that differs.
    expect(verifyChain(forged, [key], [checkpoint])).toMatchObject({ ok: false, kind: "recomputed" });
  });

  it("detects a deleted tail and an emptied table against the newest checkpoint", () => {
    const key = newKey();
    const rows = build(6, key);
    const checkpoints = [claimAt(rows, 3), claimAt(rows, 5)];
    expect(verifyChain(rows, [key], checkpoints)).toMatchObject({ ok: true, rows: 6, checkpoint: { rows: 5 } });
    expect(verifyChain(rows.slice(0, 4), [key], checkpoints)).toMatchObject({ ok: false, kind: "deleted_tail", brokenAt: null, reason: expect.stringMatching(/5 rows up to id 5/) });
    expect(verifyChain([], [key], checkpoints)).toMatchObject({ ok: false, kind: "emptied" });
  });

  it("after a rotation, rows sealed with the retired key verify through a checkpoint signed with the new one", () => {
    const oldKey = newKey();
    const newer = newKey();
    const rows = build(5, oldKey);
    expect(verifyChain(rows, [newer])).toMatchObject({ ok: false, kind: "unverifiable", brokenAt: "1" });
    const covering = claimAt(rows, 5);
    expect(verifyChain(rows, [newer], [covering])).toMatchObject({ ok: true, rows: 5 });
    // An edit under the retired key changes the content digest the checkpoint signed.
    const edited = rows.map((r, i) => (i === 2 ? { ...r, ip: "10.6.6.6" } : r));
    expect(verifyChain(edited, [newer], [covering])).toMatchObject({ ok: false, kind: "edited", brokenAt: "5" });
  });
});

describe("audit checkpoints", () => {
  it("keeps authentic checkpoints, skips a retired key's and counts altered ones as forged", () => {
    const key = newKey();
    const retired = newKey();
    const rows = build(3, key);
    const good = signCheckpoint(claimAt(rows, 2), key);
    const old = signCheckpoint(claimAt(rows, 1), retired);
    const altered = { ...signCheckpoint(claimAt(rows, 3), key), rows: 2 };
    const checked = checkCheckpoints([good, old, altered, null, { v: 1 }], [key]);
    expect(checked.valid).toEqual([{ ...claimAt(rows, 2), keyId: key.id }]);
    expect(checked.skipped).toBe(1);
    expect(checked.forged).toBe(3);
  });

  it("reads keys only of the right length and never echoes them", () => {
    const raw = randomBytes(32).toString("hex");
    expect(parseAuditKey(raw, "K").id).toMatch(/^[0-9a-f]{12}$/);
    expect(() => parseAuditKey("too-short", "TOUCHLINE_AUDIT_KEY")).toThrow(/TOUCHLINE_AUDIT_KEY must be 32 random bytes/);
    try {
      parseAuditKey("x".repeat(40), "K");
    } catch (err) {
      expect(String(err)).not.toContain("xxxx");
    }
  });
});
