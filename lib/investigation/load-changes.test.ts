import { describe, expect, it } from "vitest";
import type { AccessChange } from "@/lib/analysis";
import { changesReaching } from "./load-changes";

const change = (c: Partial<AccessChange> & Pick<AccessChange, "id" | "kind" | "targetId">): AccessChange => ({
  action: "update", label: c.id, actor: null, changedAt: 0, timeSource: "audit", diff: [], apiIds: [], keyHashes: [], ...c,
});

describe("changesReaching", () => {
  it("keeps changes reaching the API, and key, policy and OAuth client changes of callers seen on the requests", () => {
    const around = [
      { change: change({ id: "api", kind: "policy", targetId: "pol-other" }), reachesApi: true },
      { change: change({ id: "pol-seen", kind: "policy", targetId: "pol-1" }), reachesApi: false },
      { change: change({ id: "pol-unseen", kind: "policy", targetId: "pol-9" }), reachesApi: false },
      { change: change({ id: "key-seen", kind: "key", targetId: "k1" }), reachesApi: false },
      { change: change({ id: "key-listed", kind: "policy", targetId: "pol-9", keyHashes: ["k2"] }), reachesApi: false },
      { change: change({ id: "key-unseen", kind: "key", targetId: "k9" }), reachesApi: false },
      { change: change({ id: "client-seen", kind: "oauth_client", targetId: "app-1" }), reachesApi: false },
      { change: change({ id: "client-as-key", kind: "key", targetId: "app-1" }), reachesApi: false },
    ];
    const kept = changesReaching(around, { keyHashes: new Set(["k1", "k2"]), policyIds: new Set(["pol-1"]), oauthClientIds: new Set(["app-1"]) });
    expect(kept.map((c) => c.id)).toEqual(["api", "pol-seen", "key-seen", "key-listed", "client-seen"]);
  });
});
