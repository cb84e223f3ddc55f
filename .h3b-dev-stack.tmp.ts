// PRIVATE dev harness for helper h3b (not part of the project; deleted at the end).
// Like scripts/stack but: anchor in the future so the partner-gold edit lands ~100 s after start
// (baseline sync first, then the app's scheduler catches the edit live), next dev, ports 39x0.
import path from "node:path";
import { applyMigrations } from "./scripts/db/migrate";
import { createDatabase, dropDatabase, ensureDatabaseServer } from "./scripts/db/embedded";
import { REPO_ROOT, runTsx, startChild, startTsx, waitForHttp, type Child } from "./scripts/stack/processes";
import { stackSecrets } from "./scripts/stack/secrets";

const P = { app: 3910, oidc: 3911, tyk: 3912, lightstep: 3913 };
const children: Child[] = [];
const logDir = "/tmp/h3b/logs";
const secrets = stackSecrets(null);
const server = await ensureDatabaseServer({ dataDir: path.join(REPO_ROOT, ".data", "pg-h3b") });
const stop = async () => { for (const c of children.reverse()) await c.stop(); await server.stop(); process.exit(0); };
process.on("SIGTERM", stop); process.on("SIGINT", stop);
await dropDatabase(server.url, "touchline_h3b"); await dropDatabase(server.url, "tyk_analytics_h3b");
const databaseUrl = await createDatabase(server.url, "touchline_h3b");
const analyticsUrl = await createDatabase(server.url, "tyk_analytics_h3b");
await applyMigrations(databaseUrl);
const host = "localhost";
const appUrl = `http://${host}:${P.app}`, oidcUrl = `http://${host}:${P.oidc}`, tykUrl = `http://${host}:${P.tyk}`, lsUrl = `http://${host}:${P.lightstep}`;
const anchor = new Date(Date.now() + (125 * 60 + 100) * 1000).toISOString();
const base = { ...process.env, WORLD_SEED: "42", WORLD_ANCHOR: anchor, NODE_ENV: "production" } as NodeJS.ProcessEnv;
children.push(startTsx("oidc", "simulators/oidc/server.ts", { ...base, OIDC_SIM_PORT: String(P.oidc), OIDC_SIM_ISSUER: oidcUrl,
  OIDC_SIM_CLIENT_ID: "touchline", OIDC_SIM_CLIENT_SECRET: secrets.oidcClientSecret,
  OIDC_SIM_REDIRECT_URIS: `${appUrl}/api/auth/callback/oidc`, OIDC_SIM_POST_LOGOUT_REDIRECT_URIS: `${appUrl}/signin?signedOut=1` }, logDir));
children.push(startTsx("tyk", "simulators/tyk-dashboard/main.ts", { ...base, TYK_SIM_PORT: String(P.tyk), TYK_SIM_API_KEY: secrets.tykApiKey,
  TYK_SIM_AUDIT_LOG: "on", TYK_SIM_ANALYTICS_DATABASE_URL: analyticsUrl }, logDir));
children.push(startTsx("lightstep", "simulators/lightstep/main.ts", { ...base, LIGHTSTEP_SIM_PORT: String(P.lightstep),
  LIGHTSTEP_SIM_API_KEY: secrets.lightstepApiKey, LIGHTSTEP_SIM_ORG: "acme", LIGHTSTEP_SIM_PROJECT: "production" }, logDir));
const appEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "development", DATABASE_URL: databaseUrl, NEXTAUTH_URL: appUrl,
  NEXTAUTH_SECRET: secrets.nextAuthSecret, OIDC_ISSUER: oidcUrl, OIDC_CLIENT_ID: "touchline", OIDC_CLIENT_SECRET: secrets.oidcClientSecret,
  OIDC_DISPLAY_NAME: "Acme SSO", TYK_DASHBOARD_URL: tykUrl, TYK_DASHBOARD_API_KEY: secrets.tykApiKey, TYK_ANALYTICS_DATABASE_URL: analyticsUrl,
  TYK_AUDIT_LOG: "auto", LIGHTSTEP_API_URL: lsUrl, LIGHTSTEP_ORG: "acme", LIGHTSTEP_PROJECT: "production", LIGHTSTEP_API_KEY: secrets.lightstepApiKey,
  LIGHTSTEP_SERVICE: "tyk-gateway", TRACE_UI_URL: `${lsUrl}/ui`, TYK_SYNC_INTERVAL_SECONDS: "60", TOUCHLINE_SYNC_ON_START: "false" };
await waitForHttp(`${tykUrl}/api/apis`, null, 120_000, (s) => s === 200 || s === 401);
await waitForHttp(`${oidcUrl}/.well-known/openid-configuration`, null, 60_000, (s) => s === 200);
console.log("first sync…", anchor);
await runTsx("scripts/sync.ts", ["--trigger", "demo"], appEnv, true);
children.push(startChild("app", process.execPath, [path.join(REPO_ROOT, "node_modules/next/dist/bin/next"), "dev", "-p", String(P.app), "-H", "localhost"], appEnv, logDir));
console.log(`READY ${appUrl} db=${databaseUrl}`);
