import { rmSync } from "node:fs";
import path from "node:path";
import { applyMigrations } from "../db/migrate";
import { createDatabase, dropDatabase, ensureDatabaseServer } from "../db/embedded";
import { REPO_ROOT, nextBuild, runTsx, startNext, startTsx, waitForHttp, type Child } from "./processes";
import { stackSecrets } from "./secrets";

export interface StackOptions {
  /** "bench" is e2e-like (throwaway secrets) but builds into and serves from its own dist dir, .next-bench. */
  mode: "demo" | "e2e" | "bench";
  ports: { app: number; oidc: number; tyk: number; lightstep: number };
  /** Build the app before starting it (skip when the mode's build folder is known to be current). */
  build: boolean;
  log?: (line: string) => void;
}

export interface Stack {
  appUrl: string;
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export const DEMO_PORTS = { app: 3000, oidc: 3100, tyk: 3200, lightstep: 3300 };
export const E2E_PORTS = { app: 4000, oidc: 4100, tyk: 4200, lightstep: 4300 };
export const BENCH_PORTS = { app: 5000, oidc: 5100, tyk: 5200, lightstep: 5300 };
// Each mode builds into its own folder, so `npm run build` (.next), a bench or an e2e build never
// replaces the build a running demo serves.
const DIST_DIRS = { demo: ".next-demo", e2e: ".next-e2e", bench: ".next-bench" } as const;
const PG_DIRS = { demo: "pg", e2e: "pg-e2e", bench: "pg-bench" } as const;
// A first sync stage stuck this long fails the start, naming the stage, instead of hanging it.
const FIRST_SYNC_BUDGET_SECONDS = 600;
export const DEMO_USERS = [
  { email: "ada@acme.test", role: "admin" },
  { email: "rui@acme.test", role: "responder" },
  { email: "vera@acme.test", role: "viewer" },
];
export const DEMO_PASSWORD = "touchline-demo";

/**
 * Starts everything the console needs on this machine: PostgreSQL (embedded unless DATABASE_URL
 * is set), a fresh migrated database, the local OIDC provider, the Tyk and Lightstep simulators
 * over one shared world, a first sync, and the app. Each piece is its own process.
 */
export async function startStack(opts: StackOptions): Promise<Stack> {
  const say = opts.log ?? (() => {});
  const children: Child[] = [];
  const dataDir = path.join(REPO_ROOT, ".data");
  const logDir = path.join(dataDir, "logs", opts.mode);
  const secrets = stackSecrets(opts.mode === "demo" ? path.join(dataDir, "demo-secrets.json") : null);
  const server = await ensureDatabaseServer({ dataDir: path.join(dataDir, PG_DIRS[opts.mode]) });
  const stop = async () => {
    for (const child of children.reverse()) await child.stop();
    await server.stop();
  };
  try {
    say(`postgres: ${server.embedded ? "embedded" : "DATABASE_URL"} on port ${server.port}`);
    // A fresh database each start: the simulated world is anchored at "now", so yesterday's rows would not match it.
    const appDbName = `touchline_${opts.mode}`;
    const tykDbName = `tyk_analytics_${opts.mode}`;
    await dropDatabase(server.url, appDbName);
    await dropDatabase(server.url, tykDbName);
    const databaseUrl = await createDatabase(server.url, appDbName);
    const analyticsUrl = await createDatabase(server.url, tykDbName);
    const migrated = await applyMigrations(databaseUrl);
    // The audit checkpoints describe that database's chain: a fresh database starts a fresh file.
    const checkpointDir = path.join(dataDir, "audit-checkpoints", opts.mode);
    rmSync(checkpointDir, { recursive: true, force: true });
    say(`database: ${appDbName} (${migrated.applied.length} migrations applied)`);

    const host = "localhost"; // one host name everywhere, or the OIDC state cookies get lost
    const appUrl = `http://${host}:${opts.ports.app}`;
    const oidcUrl = `http://${host}:${opts.ports.oidc}`;
    const tykUrl = `http://${host}:${opts.ports.tyk}`;
    const lightstepUrl = `http://${host}:${opts.ports.lightstep}`;
    const anchor = new Date().toISOString();
    const base: NodeJS.ProcessEnv = { ...process.env, WORLD_SEED: "42", WORLD_ANCHOR: anchor, NODE_ENV: "production" };

    const oidc = startTsx("oidc", "simulators/oidc/server.ts", {
      ...base,
      OIDC_SIM_PORT: String(opts.ports.oidc),
      OIDC_SIM_ISSUER: oidcUrl,
      OIDC_SIM_CLIENT_ID: "touchline",
      OIDC_SIM_CLIENT_SECRET: secrets.oidcClientSecret,
      OIDC_SIM_REDIRECT_URIS: `${appUrl}/api/auth/callback/oidc`,
      OIDC_SIM_POST_LOGOUT_REDIRECT_URIS: `${appUrl}/signin?signedOut=1`,
    }, logDir);
    children.push(oidc);
    const tyk = startTsx("tyk-dashboard", "simulators/tyk-dashboard/main.ts", {
      ...base,
      TYK_SIM_PORT: String(opts.ports.tyk),
      TYK_SIM_API_KEY: secrets.tykApiKey,
      TYK_SIM_AUDIT_LOG: "on",
      TYK_SIM_ANALYTICS_DATABASE_URL: analyticsUrl,
      // The pump writes the requests of the last 2 s every 2 s, during every sync, as a live one does.
      TYK_SIM_PUMP_INTERVAL_MS: "2000",
    }, logDir);
    children.push(tyk);
    const lightstep = startTsx("lightstep", "simulators/lightstep/main.ts", {
      ...base,
      LIGHTSTEP_SIM_PORT: String(opts.ports.lightstep),
      LIGHTSTEP_SIM_API_KEY: secrets.lightstepApiKey,
      LIGHTSTEP_SIM_ORG: "acme",
      LIGHTSTEP_SIM_PROJECT: "production",
      // Its traces follow the limits written to the Tyk simulator's gateway.
      LIGHTSTEP_SIM_TYK_URL: tykUrl,
      LIGHTSTEP_SIM_TYK_API_KEY: secrets.tykApiKey,
    }, logDir);
    children.push(lightstep);

    const appEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      NEXT_DIST_DIR: DIST_DIRS[opts.mode],
      DATABASE_URL: databaseUrl,
      NEXTAUTH_URL: appUrl,
      NEXTAUTH_SECRET: secrets.nextAuthSecret,
      OIDC_ISSUER: oidcUrl,
      OIDC_CLIENT_ID: "touchline",
      OIDC_CLIENT_SECRET: secrets.oidcClientSecret,
      OIDC_DISPLAY_NAME: "Acme SSO",
      TYK_DASHBOARD_URL: tykUrl,
      TYK_DASHBOARD_API_KEY: secrets.tykApiKey,
      TYK_ANALYTICS_DATABASE_URL: analyticsUrl,
      TYK_AUDIT_LOG: "auto",
      LIGHTSTEP_API_URL: lightstepUrl,
      LIGHTSTEP_ORG: "acme",
      LIGHTSTEP_PROJECT: "production",
      LIGHTSTEP_API_KEY: secrets.lightstepApiKey,
      LIGHTSTEP_SERVICE: "tyk-gateway",
      TRACE_UI_URL: `${lightstepUrl}/ui`,
      TOUCHLINE_AUDIT_KEY: secrets.auditKey,
      TOUCHLINE_AUDIT_CHECKPOINT_DIR: checkpointDir,
      // The e2e suite watches a role taken away at the IdP take effect: re-read it every few seconds.
      ...(opts.mode === "e2e" ? { SESSION_REFRESH_SECONDS: "5" } : {}),
      TOUCHLINE_ENCRYPTION_KEY: secrets.encryptionKey,
    };

    if (opts.build) {
      say("building the console (next build)…");
      await nextBuild(appEnv);
    }
    await waitForHttp(`${oidcUrl}/.well-known/openid-configuration`, oidc, 60_000, (s) => s === 200);
    await waitForHttp(`${tykUrl}/api/apis`, tyk, 120_000, (s) => s === 200 || s === 401);
    await waitForHttp(`${lightstepUrl}/public/v0.2/acme/projects/production/directory/services`, lightstep, 60_000, (s) => s < 500);
    say("simulators: OIDC, Tyk Dashboard, Lightstep up");

    say("replaying the day's Tyk history (one sync per change)…");
    await runTsx("scripts/replay-history.ts", [], { ...appEnv, WORLD_SEED: base.WORLD_SEED, WORLD_ANCHOR: anchor });
    say(`first sync (Tyk, analytics, traces; each stage within ${FIRST_SYNC_BUDGET_SECONDS / 60} min)…`);
    await runTsx("scripts/sync.ts", ["--trigger", opts.mode === "demo" ? "demo" : "test", "--budget-seconds", String(FIRST_SYNC_BUDGET_SECONDS)],
      appEnv, (line) => { if (!line.startsWith("{")) say(`  ${line}`); }); // JSON log lines repeat the summary

    const app = startNext(opts.ports.app, { ...appEnv, PORT: String(opts.ports.app) }, logDir);
    children.push(app);
    await waitForHttp(`${appUrl}/api/health`, app, 60_000, (s) => s === 200);
    say(`console: ${appUrl}`);
    return { appUrl, env: appEnv, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
