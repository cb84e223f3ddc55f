import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";
import { CallerDictionary, callerIdsFor, callerSignature, loadCallers, reserveCallerIds } from "./callers";

describe("request_callers", () => {
  let fresh: FreshDatabase;
  let c: pg.Client;

  beforeAll(async () => {
    fresh = await freshDatabase({ migrate: true });
    c = new pg.Client({ connectionString: fresh.url });
    await c.connect();
  });

  afterAll(async () => {
    await c?.end();
    await fresh?.drop();
  });

  const dictionary = async () => new CallerDictionary(await loadCallers(c), (n) => reserveCallerIds(c, n));
  const rows = async () =>
    (await c.query<{ id: number; key_hash: string | null; policy_ids: string[] }>("SELECT id, key_hash, policy_ids FROM request_callers ORDER BY id")).rows;

  it("callerIdsFor stores each tuple once (nulls equal, policies sorted and deduplicated) and finds it again", async () => {
    const ids = await callerIdsFor(c, [
      { keyHash: "k1", identityId: "p1", oauthClientId: null, policyIds: ["b", "a", "b"] },
      { keyHash: null, identityId: null, oauthClientId: null, policyIds: [] },
      { keyHash: "k1", identityId: "p1", oauthClientId: null, policyIds: ["a", "b"] },
    ]);
    expect(ids[0]).toBe(ids[2]);
    expect(ids[1]).not.toBe(ids[0]);
    const again = await callerIdsFor(c, [
      { keyHash: null, identityId: null, oauthClientId: null, policyIds: [] },
      { keyHash: "k1", identityId: "p1", oauthClientId: null, policyIds: ["b", "a"] },
    ]);
    expect(again).toEqual([ids[1], ids[0]]);
    expect(await rows()).toHaveLength(2);
    expect((await rows()).find((r) => r.key_hash === "k1")?.policy_ids).toEqual(["a", "b"]);
    // The unique index treats nulls as equal: a second anonymous caller cannot be inserted.
    await expect(c.query("INSERT INTO request_callers (key_hash) VALUES (NULL)")).rejects.toThrow(/request_callers_tuple_key/);
  });

  it("a rolled-back batch's callers are forgotten: the next batch stores the tuple under a new id", async () => {
    const d = await dictionary();
    const sig = callerSignature("k-rolled", null, null, ["gold"]);
    await d.refill();
    const first = d.idOf(sig, "k-rolled", null, null, ["gold"])!;
    await c.query("BEGIN");
    await c.query("CREATE TEMP TABLE rows_in (caller_id int)");
    await c.query("INSERT INTO rows_in VALUES ($1)", [first]);
    await d.writePending(c, "rows_in");
    await c.query("ROLLBACK");
    d.rollback();
    expect((await rows()).some((r) => r.key_hash === "k-rolled")).toBe(false);

    const second = d.idOf(sig, "k-rolled", null, null, ["gold"])!;
    expect(second).not.toBe(first);
    expect(d.pendingCount).toBe(1);
    await c.query("BEGIN");
    await d.writePending(c, "request_callers");
    await c.query("COMMIT");
    d.commit();
    expect((await rows()).filter((r) => r.key_hash === "k-rolled").map((r) => r.id)).toEqual([second]);
    expect(d.idOf(sig, "k-rolled", null, null, ["gold"])).toBe(second);
    expect(d.pendingCount).toBe(0);
  });

  it("a tuple another writer stored meanwhile keeps its stored id, and the batch's rows move to it", async () => {
    const d = await dictionary();
    await d.refill();
    const ours = d.idOf(callerSignature("k-race", null, null, []), "k-race", null, null, [])!;
    const [theirs] = await callerIdsFor(c, [{ keyHash: "k-race", identityId: null, oauthClientId: null, policyIds: [] }]);
    expect(theirs).not.toBe(ours);
    await c.query("BEGIN");
    await c.query("CREATE TEMP TABLE batch_rows (caller_id int) ON COMMIT DROP");
    await c.query("INSERT INTO batch_rows VALUES ($1), ($1)", [ours]);
    await d.writePending(c, "batch_rows");
    expect((await c.query("SELECT caller_id FROM batch_rows")).rows).toEqual([{ caller_id: theirs }, { caller_id: theirs }]);
    await c.query("COMMIT");
    d.commit();
    expect(d.idOf(callerSignature("k-race", null, null, []), "k-race", null, null, [])).toBe(theirs);
    expect((await rows()).filter((r) => r.key_hash === "k-race")).toHaveLength(1);
  });
});
