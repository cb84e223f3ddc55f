import { describe, expect, it } from "vitest";
import { createUserDirectory, DEMO_PASSWORD, SEEDED_USERS } from "./users";

describe("user directory", () => {
  const users = createUserDirectory();

  it("seeds the three Acme accounts with their groups", () => {
    expect(users.list().map((u) => [u.email, u.name, u.groups])).toEqual([
      ["ada@acme.test", "Ada Admin", ["platform-admins", "engineering"]],
      ["rui@acme.test", "Rui Responder", ["oncall", "engineering"]],
      ["vera@acme.test", "Vera Viewer", ["engineering"]],
    ]);
    expect(users.sharedPassword).toBe(DEMO_PASSWORD);
  });

  it("accepts the demo password with the email in any case and surrounding spaces", () => {
    expect(users.verify("  Rui@ACME.test ", DEMO_PASSWORD)?.sub).toBe("acme-rui");
  });

  it("answers a wrong password and an unknown email the same way", () => {
    expect(users.verify("ada@acme.test", "touchline-demo ")).toBeUndefined();
    expect(users.verify("nobody@acme.test", DEMO_PASSWORD)).toBeUndefined();
    expect(users.verify("", "")).toBeUndefined();
  });

  it("never exposes password material", () => {
    for (const user of users.list()) expect(Object.keys(user).sort()).toEqual(["email", "groups", "name", "sub"]);
  });

  it("finds accounts by subject and accepts custom seeds with their own passwords", () => {
    expect(users.findBySub("acme-vera")?.name).toBe("Vera Viewer");
    expect(users.findBySub("ada@acme.test")).toBeUndefined();
    const custom = createUserDirectory([{ ...SEEDED_USERS[0], sub: "x", password: "other" }]);
    expect(custom.verify("ada@acme.test", "other")?.sub).toBe("x");
    expect(custom.verify("ada@acme.test", DEMO_PASSWORD)).toBeUndefined();
    expect(custom.sharedPassword).toBeUndefined();
  });
});
