// Playwright's webServer runs this: the whole stack on the e2e ports, stopped when Playwright ends it.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { E2E_PORTS, startStack } from "./stack/stack";

// The security suite (e2e/security) reads the stack's database URL and secrets from here: it checks
// the database is unchanged by refused requests and that no secret leaks into bundles, logs or answers.
// Owner-only file in the gitignored .data folder; removed when the stack stops.
const ENV_FILE = path.join(import.meta.dirname, "..", ".data", "e2e-env.json");

async function main() {
  const stack = await startStack({ mode: "e2e", ports: E2E_PORTS, build: process.env.E2E_SKIP_BUILD !== "1", log: (l) => console.log(l) });
  const e = stack.env;
  mkdirSync(path.dirname(ENV_FILE), { recursive: true });
  writeFileSync(ENV_FILE, JSON.stringify({
    appUrl: stack.appUrl,
    databaseUrl: e.DATABASE_URL,
    tykDashboardUrl: e.TYK_DASHBOARD_URL,
    lightstepUrl: e.LIGHTSTEP_API_URL,
    oidcIssuer: e.OIDC_ISSUER,
    oidcClientId: e.OIDC_CLIENT_ID,
    secrets: {
      NEXTAUTH_SECRET: e.NEXTAUTH_SECRET,
      OIDC_CLIENT_SECRET: e.OIDC_CLIENT_SECRET,
      TYK_DASHBOARD_API_KEY: e.TYK_DASHBOARD_API_KEY,
      LIGHTSTEP_API_KEY: e.LIGHTSTEP_API_KEY,
      TOUCHLINE_AUDIT_KEY: e.TOUCHLINE_AUDIT_KEY,
      TOUCHLINE_ENCRYPTION_KEY: e.TOUCHLINE_ENCRYPTION_KEY,
    },
    auditCheckpointDir: e.TOUCHLINE_AUDIT_CHECKPOINT_DIR,
  }, null, 2), { mode: 0o600 });
  const shutdown = async () => {
    rmSync(ENV_FILE, { force: true });
    await stack.stop();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((err) => {
  console.error(`e2e stack failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
