import { describe, expect, it } from "vitest";
import { parseRoleMap, roleForGroups } from "./roles";
import { can, permissionsOf } from "./permissions";

const rules = parseRoleMap("admin=platform-admins;responder=oncall,sre;viewer=*");

describe("role mapping", () => {
  it("picks the highest role any group maps to", () => {
    expect(roleForGroups(["engineering", "platform-admins"], rules)).toBe("admin");
    expect(roleForGroups(["sre"], rules)).toBe("responder");
    expect(roleForGroups(["engineering"], rules)).toBe("viewer");
  });

  it("refuses users no rule matches when there is no wildcard", () => {
    const strict = parseRoleMap("admin=platform-admins;viewer=engineering");
    expect(roleForGroups(["marketing"], strict)).toBeNull();
    expect(roleForGroups([], strict)).toBeNull();
  });

  it("names the bad entry in a malformed map", () => {
    expect(() => parseRoleMap("admin=ops;superuser=root")).toThrow(/superuser=root/);
    expect(() => parseRoleMap("admin")).toThrow(/"admin"/);
  });
});

describe("permission map", () => {
  it("lets viewers read but not write", () => {
    expect(can("viewer", "console:read")).toBe(true);
    expect(can("viewer", "incidents:write")).toBe(false);
    expect(can("viewer", "audit:read")).toBe(false);
  });

  it("gives admins every permission and responders a strict subset", () => {
    const admin = permissionsOf("admin");
    const responder = permissionsOf("responder");
    expect(responder.every((p) => admin.includes(p))).toBe(true);
    expect(responder.length).toBeLessThan(admin.length);
    expect(responder).toContain("incidents:write");
  });
});
