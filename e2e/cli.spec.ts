import { spawn } from "node:child_process";
import { expect, test } from "@playwright/test";
import { e2eEnv, REPO_ROOT } from "./security/support";

// The CLI as an operator uses it against the running stack: a token bootstrapped from the database
// (JSON only on stdout, even with info logs), incidents created and listed through the API with a
// --url typed without a scheme, and a listing piped into a reader that stops early.

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run touchline -- …` as `node --import tsx scripts/cli/main.ts …`; `closeStdout` closes our end of its stdout at once. */
function cli(args: string[], env: Record<string, string>, opts: { closeStdout?: boolean } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/cli/main.ts", ...args], {
      cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NODE_ENV: "production", ...env },
    });
    let stdout = "", stderr = "";
    if (opts.closeStdout) child.stdout.destroy();
    else child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

test.describe("touchline CLI", () => {
  test.setTimeout(120_000);

  test("tokens create --json prints only JSON on stdout; incidents create and list go through the API", async () => {
    const { databaseUrl, secrets } = e2eEnv();
    // Audited like every console action: the server's audit key, as the demo tells operators to export it.
    const created = await cli(["tokens", "create", "--name", "e2e-cli", "--scope", "read", "--scope", "incidents:write", "--json"],
      { DATABASE_URL: databaseUrl, TOUCHLINE_AUDIT_KEY: secrets.TOUCHLINE_AUDIT_KEY, LOG_LEVEL: "debug" });
    expect(created.code, created.stderr).toBe(0);
    const token = (JSON.parse(created.stdout) as { token: string }).token;
    expect(token).toMatch(/^tl_/);

    // The server given without a scheme: localhost means http.
    const remote = { TOUCHLINE_URL: "localhost:4000", TOUCHLINE_TOKEN: token };
    const now = Date.now();
    const title = `CLI incident ${now}`;
    const inc = await cli(["incidents", "create", "--endpoint", "GET /orders", "--from", new Date(now - 4 * 3_600_000).toISOString(),
      "--to", new Date(now - 30 * 60_000).toISOString(), "--title", title, "--severity", "sev3"], remote);
    expect(inc.code, inc.stderr).toBe(0);
    const [line, url] = inc.stdout.trim().split("\n");
    const slug = /^created incident (\S+): /.exec(line)?.[1];
    expect(slug).toBeTruthy();
    expect(url).toBe(`http://localhost:4000/incidents/${slug}`);

    const list = await cli(["incidents", "list"], remote);
    expect(list.code, list.stderr).toBe(0);
    const row = list.stdout.split("\n").find((l) => l.includes(title))!;
    expect(row).toContain(slug!);
    expect(row).toContain("GET /orders");

    const asJson = await cli(["investigate", "--endpoint", "GET /orders", "--json"], { ...remote, LOG_LEVEL: "debug" });
    expect(asJson.code, asJson.stderr).toBe(0);
    expect((JSON.parse(asJson.stdout) as { endpoint: { method: string } }).endpoint.method).toBe("GET");
  });

  test("a reader that stops early ends the command quietly; a bad --url is refused, named", async () => {
    const { databaseUrl } = e2eEnv();
    const piped = await cli(["tokens", "list"], { DATABASE_URL: databaseUrl }, { closeStdout: true });
    expect(piped.code).toBe(0);
    expect(piped.stderr).not.toMatch(/EPIPE|Error/);

    const bad = await cli(["incidents", "list", "--url", "ftp://localhost:4000", "--token", "tl_x"], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--url: ftp:// is not http or https");

    const noDb = await cli(["tokens", "list"], {});
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toContain("`npm run demo` prints both exports");

    // Without the server's audit key a token is not made: an unkeyed audit row would break the keyed chain.
    const noKey = await cli(["tokens", "create", "--name", "e2e-no-key", "--scope", "read"], { DATABASE_URL: databaseUrl });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain("TOUCHLINE_AUDIT_KEY is not set, but the audit trail is keyed");
  });
});
