import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

// `npm start` checks the configuration before it migrates or starts anything: every malformed
// variable is named, and a database it cannot reach is named as DATABASE_URL (password hidden).
const ROOT = path.resolve(import.meta.dirname, "..");
const GOOD = {
  NEXTAUTH_URL: "http://localhost:3999", NEXTAUTH_SECRET: "s".repeat(40), OIDC_ISSUER: "http://localhost:3998",
  OIDC_CLIENT_ID: "touchline", OIDC_CLIENT_SECRET: "x",
};

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: ROOT, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NODE_ENV: "production", ...env }, encoding: "utf8", timeout: 60_000,
  });
}

describe("npm start's configuration check", () => {
  it("names every malformed variable, and starts nothing", () => {
    const res = start({ ...GOOD, DATABASE_URL: "not-a-url", NEXTAUTH_SECRET: "short", TYK_SYNC_INTERVAL_SECONDS: "often" });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain("DATABASE_URL");
    expect(res.stderr).toContain("NEXTAUTH_SECRET");
    expect(res.stderr).toContain("TYK_SYNC_INTERVAL_SECONDS");
    expect(res.stdout).not.toMatch(/migrations applied|Ready/);
  });

  it("names DATABASE_URL when its server cannot be reached, without the password", () => {
    const res = start({ ...GOOD, DATABASE_URL: "postgres://touchline:hunter2@no-such-host.invalid:5432/touchline" });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/^touchline: DATABASE_URL: cannot use the database at postgres:\/\/touchline:\*\*\*@no-such-host\.invalid:5432\/touchline: ENOTFOUND/m);
    expect(res.stderr).not.toContain("hunter2");
  });
});
