import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

const valid = {
  DATABASE_URL: "postgres://u:p@localhost:5432/touchline",
  NEXTAUTH_URL: "http://localhost:3000",
  NEXTAUTH_SECRET: "x".repeat(32),
  OIDC_ISSUER: "http://localhost:3100",
  OIDC_CLIENT_ID: "touchline",
  OIDC_CLIENT_SECRET: "s",
};

describe("parseEnv", () => {
  it("applies defaults", () => {
    const env = parseEnv(valid);
    expect(env.OIDC_GROUPS_CLAIM).toBe("groups");
    expect(env.TYK_AUDIT_LOG).toBe("auto");
  });

  it("names the missing or malformed variable", () => {
    expect(() => parseEnv({ ...valid, OIDC_ISSUER: undefined })).toThrow(/OIDC_ISSUER/);
    expect(() => parseEnv({ ...valid, NEXTAUTH_SECRET: "short" })).toThrow(/NEXTAUTH_SECRET: must be at least 32/);
    expect(() => parseEnv({ ...valid, TYK_AUDIT_LOG: "maybe" })).toThrow(/TYK_AUDIT_LOG/);
  });

  it("reads the hygiene and access settings, with their defaults and bounds", () => {
    const env = parseEnv(valid);
    expect([env.HYGIENE_ROTATION_DAYS, env.HYGIENE_UNUSED_DAYS, env.ROTATION_GRACE_HOURS, env.ACCESS_REQUEST_MAX_MINUTES]).toEqual([90, 30, 24, 480]);
    expect(parseEnv({ ...valid, HYGIENE_ROTATION_DAYS: "30" }).HYGIENE_ROTATION_DAYS).toBe(30);
    expect(() => parseEnv({ ...valid, HYGIENE_UNUSED_DAYS: "0" })).toThrow(/HYGIENE_UNUSED_DAYS/);
    expect(() => parseEnv({ ...valid, ACCESS_WEBHOOK_URL: "ftp://hooks.example.com/x" })).toThrow(/ACCESS_WEBHOOK_URL: must be an http\(s\) URL/);
    expect(parseEnv({ ...valid, ACCESS_WEBHOOK_URL: "https://hooks.slack.com/services/T/B/x" }).ACCESS_WEBHOOK_URL).toMatch(/^https:/);
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ ...valid, TYK_AUDIT_LOG: "" }).TYK_AUDIT_LOG).toBe("auto");
  });
});
