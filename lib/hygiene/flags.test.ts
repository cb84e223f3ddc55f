import { describe, expect, it } from "vitest";
import { keyFlags, oauthFlags, policyFlags, secretFlags, tokenFlags, usageSpan, type RuleContext } from "./flags";

const NOW = new Date("2026-12-07T12:00:00Z");
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);
const ctx: RuleContext = { now: NOW, rotationDays: 90, unusedDays: 30, usageFrom: daysAgo(45) };
const ids = (flags: { id: string }[]) => flags.map((f) => f.id);
const key = { createdAt: daysAgo(10), expiresAt: daysAgo(-5), lastUsedAt: daysAgo(1), identityId: "id-1", apiIds: ["a"], calledApiIds: ["a"] };

describe("keyFlags", () => {
  it("raises nothing for a fresh, expiring, owned key that calls everything it may", () => {
    expect(keyFlags(key, ctx)).toEqual([]);
  });

  it("flags a key that never expires, is past the rotation period, unused and ownerless, each with its reason", () => {
    const flags = keyFlags({ ...key, createdAt: daysAgo(120), expiresAt: null, lastUsedAt: daysAgo(40), identityId: null }, ctx);
    expect(ids(flags)).toEqual(["never_expires", "rotation_due", "unused", "no_owner"]);
    expect(flags.find((f) => f.id === "rotation_due")?.text).toBe("Created 120 days ago; the rotation period is 90 days");
    expect(flags.find((f) => f.id === "unused")?.text).toMatch(/^No requests in the last 30 days \(last 40 days ago\)/);
  });

  it("flags an expired key still in Tyk", () => {
    expect(ids(keyFlags({ ...key, expiresAt: daysAgo(2) }, ctx))).toEqual(["expired"]);
  });

  it("names the APIs a used key may call but has not (over-broad); an unused key is unused, not over-broad", () => {
    const broad = keyFlags({ ...key, apiIds: ["a", "b", "c"], calledApiIds: ["a"] }, ctx, (id) => id.toUpperCase());
    expect(broad).toEqual([{ id: "over_broad", text: "Grants 2 APIs it has not called in the last 30 days: B, C" }]);
    expect(ids(keyFlags({ ...key, createdAt: daysAgo(60), apiIds: ["a", "b"], calledApiIds: [], lastUsedAt: null }, ctx))).toEqual(["unused"]);
  });

  it("does not call a young key unused, and raises no usage flag without request records", () => {
    expect(ids(keyFlags({ ...key, createdAt: daysAgo(5), lastUsedAt: null }, ctx))).toEqual([]);
    expect(ids(keyFlags({ ...key, createdAt: daysAgo(60), lastUsedAt: null, apiIds: ["a", "b"] }, { ...ctx, usageFrom: null }))).toEqual([]);
  });

  it("says how far records go back when they cover less than the window", () => {
    const short = { ...ctx, usageFrom: daysAgo(4) };
    expect(usageSpan(short)).toBe("since request records begin (4 days ago)");
    expect(keyFlags({ ...key, createdAt: daysAgo(60), lastUsedAt: null }, short)[0].text).toMatch(/since request records begin \(4 days ago\)/);
  });
});

describe("oauthFlags, policyFlags, tokenFlags, secretFlags", () => {
  it("OAuth clients: secret age, use, owner", () => {
    expect(ids(oauthFlags({ secretSince: daysAgo(100), secretRotated: false, createdAt: daysAgo(100), lastUsedAt: null, owner: null }, ctx))).toEqual(["rotation_due", "unused", "no_owner"]);
    expect(oauthFlags({ secretSince: daysAgo(3), secretRotated: true, createdAt: daysAgo(100), lastUsedAt: daysAgo(1), owner: "bob@globex.test" }, ctx)).toEqual([]);
  });

  it("policies: no keys, no key used, APIs none of its keys called", () => {
    const p = { keys: 3, usedKeys: 2, apiIds: ["a", "b"], calledApiIds: ["a", "b"], createdAt: daysAgo(200) };
    expect(policyFlags(p, ctx)).toEqual([]);
    expect(ids(policyFlags({ ...p, keys: 0, usedKeys: 0 }, ctx))).toEqual(["no_keys"]);
    expect(ids(policyFlags({ ...p, usedKeys: 0 }, ctx))).toEqual(["unused"]);
    expect(policyFlags({ ...p, calledApiIds: ["a"] }, ctx)[0].text).toBe("Grants b, which none of its keys called in the last 30 days");
  });

  it("console tokens: no expiry, old, unused", () => {
    expect(ids(tokenFlags({ createdAt: daysAgo(100), expiresAt: null, lastUsedAt: null }, ctx))).toEqual(["never_expires", "rotation_due", "unused"]);
    expect(tokenFlags({ createdAt: daysAgo(10), expiresAt: daysAgo(-20), lastUsedAt: null }, ctx)).toEqual([]);
  });

  it("stored secrets: old, or sealed with the previous encryption key", () => {
    expect(ids(secretFlags({ changedAt: daysAgo(91), resealPending: true }, ctx))).toEqual(["rotation_due", "reseal_pending"]);
    expect(secretFlags({ changedAt: daysAgo(1), resealPending: false }, ctx)).toEqual([]);
  });
});
