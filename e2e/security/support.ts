import { existsSync, readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { expect, type APIRequestContext, type APIResponse } from "@playwright/test";
import { discoverRoutes, type DiscoveredRoute } from "../../lib/security/routes";
import { backgroundWrittenTables, snapshotDatabase, type TableDigest } from "../../lib/security/db-snapshot";

export const REPO_ROOT = path.resolve(import.meta.dirname, "..", "..");
export const APP_ORIGIN = "http://localhost:4000";

export interface E2EEnv {
  appUrl: string;
  databaseUrl: string;
  tykDashboardUrl: string;
  /** The Lightstep simulator's base URL (its fault switch is PUT /_sim/fault). */
  lightstepUrl: string;
  /** The demo IdP (its admin switch is PUT /_sim/users/{email}/groups, Basic auth of the client). */
  oidcIssuer: string;
  oidcClientId: string;
  /** Where the server signs its audit checkpoints. */
  auditCheckpointDir: string;
  secrets: Record<string, string>;
}

/** What scripts/e2e-stack.ts wrote for this run (database URL and the stack's secrets). */
export function e2eEnv(): E2EEnv {
  const file = path.join(REPO_ROOT, ".data", "e2e-env.json");
  if (!existsSync(file)) throw new Error(`${file} is missing: the e2e stack (scripts/e2e-stack.ts) writes it at start-up`);
  return JSON.parse(readFileSync(file, "utf8")) as E2EEnv;
}

/** Sets (or clears, with null) the Tyk Dashboard simulator's injected fault (PUT /_sim/fault). */
export async function setTykFault(fault: { kind: string; ms?: number; times?: number } | null): Promise<void> {
  const env = e2eEnv();
  const res = await fetch(`${env.tykDashboardUrl}/_sim/fault`, {
    method: "PUT",
    headers: { Authorization: env.secrets.TYK_DASHBOARD_API_KEY, "Content-Type": "application/json" },
    body: JSON.stringify({ fault }),
  });
  expect(res.status, await res.text()).toBe(200);
}

/** The same for the Lightstep simulator (its API key is a bearer token). */
export async function setLightstepFault(fault: { kind: string; times?: number } | null): Promise<void> {
  const env = e2eEnv();
  const res = await fetch(`${env.lightstepUrl}/_sim/fault`, {
    method: "PUT",
    headers: { Authorization: `Bearer ${env.secrets.LIGHTSTEP_API_KEY}`, "Content-Type": "application/json" },
    body: JSON.stringify({ fault }),
  });
  expect(res.status, await res.text()).toBe(200);
}

/** Discovered from app/ now, so a route added after this suite was written is covered too. */
export function allRoutes(): DiscoveredRoute[] {
  return discoverRoutes(REPO_ROOT);
}

/** A plausible value for a dynamic segment that names nothing in the database. */
export function randomSegment(name: string, catchAll: boolean): string | string[] {
  if (catchAll) return ["apis", randomUUID().slice(0, 8)];
  if (/hash/i.test(name)) return randomUUID().replaceAll("-", "");
  if (/trace/i.test(name)) return randomUUID().replaceAll("-", "").slice(0, 16);
  return `c${randomUUID().replaceAll("-", "").slice(0, 24)}`;
}

// Sessions re-read their role from the IdP every few seconds while the tests run: when they last
// did, and the IdP tokens that renews, are bookkeeping, not a change anyone asked for.
const RUN_STAMPS = /^(last_used_at|lastUsedAt|updated_at|updatedAt|last_login_at|lastLoginAt|role_checked_at|idp_tokens)$/;

/**
 * The database as the console's own writes leave it: tables the background sync writes are left
 * out (it runs on a timer during the tests), audited reads (exports) and usage stamps are ignored.
 */
export function consoleSnapshot(env: E2EEnv): Promise<Record<string, TableDigest>> {
  return snapshotDatabase(env.databaseUrl, {
    exclude: backgroundWrittenTables(REPO_ROOT),
    ignoreColumns: RUN_STAMPS,
    where: { audit_events: "t.action NOT LIKE '%.export' AND t.action NOT LIKE 'auth.%'" },
  });
}

/** The one error shape (lib/api/errors.ts): `{ error: { code, message, field? } }`. */
export async function expectErrorJson(res: APIResponse, status: number | RegExp, context: string): Promise<{ code: string; message: string; field?: string }> {
  const actual = res.status();
  if (typeof status === "number") expect(actual, `${context}: status`).toBe(status);
  else expect(String(actual), `${context}: status`).toMatch(status);
  expect(res.headers()["content-type"] ?? "", `${context}: content type`).toContain("application/json");
  const body = (await res.json()) as { error?: { code?: unknown; message?: unknown; field?: unknown } };
  expect(typeof body.error?.code, `${context}: error.code`).toBe("string");
  expect(typeof body.error?.message, `${context}: error.message`).toBe("string");
  return body.error as { code: string; message: string; field?: string };
}

/** Sends `method` to `url` like a same-origin browser page would (writes carry the console's Origin). */
export function send(request: APIRequestContext, method: string, url: string, init: { data?: unknown; headers?: Record<string, string>; rawBody?: string } = {}): Promise<APIResponse> {
  const headers: Record<string, string> = { ...(method === "GET" || method === "HEAD" ? {} : { origin: APP_ORIGIN }), ...init.headers };
  if (init.rawBody !== undefined) headers["content-type"] ??= "application/json";
  // A Buffer goes out byte for byte: Playwright JSON-encodes a string body sent as application/json.
  const data = init.rawBody !== undefined ? Buffer.from(init.rawBody, "utf8") : init.data;
  return request.fetch(url, { method, headers, data, maxRedirects: 0, failOnStatusCode: false });
}

/** Changes a user's groups at the demo IdP (its admin switch), as an IdP admin would. */
export async function setIdpGroups(email: string, groups: string[]): Promise<void> {
  const env = e2eEnv();
  const res = await fetch(`${env.oidcIssuer}/_sim/users/${encodeURIComponent(email)}/groups`, {
    method: "PUT",
    headers: { authorization: `Basic ${Buffer.from(`${env.oidcClientId}:${env.secrets.OIDC_CLIENT_SECRET}`).toString("base64")}`, "content-type": "application/json" },
    body: JSON.stringify({ groups }),
  });
  expect(res.status, await res.text()).toBe(200);
}

/** One query on the stack's database (reading audit rows and sessions, or ageing a session). */
export async function dbQuery<T extends Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: e2eEnv().databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}
