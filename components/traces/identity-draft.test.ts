import { describe, expect, it } from "vitest";
import { draftChanges, draftConflict, sortDraft } from "./identity-draft";

const saved = [
  { id: "r1", attribute: "tyk.api.apikey", field: "key_hash", priority: 10, createdAt: "" },
  { id: "r2", attribute: "enduser.id", field: "person_email", priority: 30, createdAt: "" },
];

describe("identity draft", () => {
  it("turns a draft into deletions and additions", () => {
    const draft = [
      { id: "r1", attribute: "tyk.api.apikey", field: "key_hash" as const, priority: 10 },
      { attribute: "service.name", field: "service" as const, priority: 40 },
    ];
    expect(draftChanges(saved, draft)).toEqual({ remove: ["r2"], add: [{ attribute: "service.name", field: "service", priority: 40 }] });
    expect(draftChanges(saved, saved.map((s) => ({ ...s, field: s.field as "key_hash" })))).toEqual({ remove: [], add: [] });
  });

  it("refuses a duplicate (attribute, field) and an empty attribute", () => {
    const draft = [{ attribute: "a", field: "team" as const, priority: 1 }];
    expect(draftConflict(draft, { attribute: "a", field: "team", priority: 5 })).toMatch(/already/);
    expect(draftConflict(draft, { attribute: "a", field: "service", priority: 5 })).toBeNull();
    expect(draftConflict(draft, { attribute: " ", field: "service", priority: 5 })).toMatch(/Enter/);
  });

  it("sorts by priority", () => {
    expect(sortDraft([{ attribute: "b", field: "team", priority: 5 }, { attribute: "a", field: "team", priority: 1 }]).map((r) => r.attribute)).toEqual(["a", "b"]);
  });
});
