import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { OidcClientRegistration } from "./provider-config";
import type { UserDirectory } from "./users";

// The running IdP's admin switch, for e2e tests: `PUT /_sim/users/{email}/groups` with
// `{"groups": [...]}` changes a user's groups the way an IdP admin would (e.g. removing someone
// from on-call), so the app's periodic re-read of the groups can be watched taking effect. Outside
// the provider's routes (no real IdP has it) and guarded by a registered client's credentials
// (HTTP Basic, as at the token endpoint).
const ROUTE = /^\/_sim\/users\/([^/]+)\/groups$/;
const MAX_BODY_BYTES = 8 * 1024;

export function isAdminPath(pathname: string): boolean {
  return ROUTE.test(pathname);
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** True when the request carries the Basic credentials of one of `clients`. */
function authorised(req: IncomingMessage, clients: readonly OidcClientRegistration[]): boolean {
  const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  if (!m) return false;
  let id: string;
  let secret: string;
  try {
    [id = "", secret = ""] = Buffer.from(m[1], "base64").toString("utf8").split(":").map((s) => decodeURIComponent(s.replace(/\+/g, " ")));
  } catch {
    return false;
  }
  return clients.some((c) => equal(c.clientId, id) && equal(c.clientSecret, secret));
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" }).end(JSON.stringify(body));
}

export function createAdminHandler(opts: { clients: readonly OidcClientRegistration[]; users: UserDirectory }) {
  return async function handleAdmin(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    if (req.method !== "PUT") return json(res, 405, { error: "method_not_allowed" });
    if (!authorised(req, opts.clients)) return json(res, 401, { error: "invalid_client" });
    const text = await readBody(req);
    if (text === null) return json(res, 413, { error: "body_too_large" });
    let groups: unknown;
    try {
      groups = (JSON.parse(text) as { groups?: unknown }).groups;
    } catch {
      return json(res, 400, { error: "body is not JSON" });
    }
    if (!Array.isArray(groups) || groups.length > 50 || !groups.every((g) => typeof g === "string" && g.length > 0 && g.length <= 100)) {
      return json(res, 400, { error: 'expected {"groups": ["name", …]}' });
    }
    const email = decodeURIComponent(ROUTE.exec(pathname)![1]);
    if (!opts.users.setGroups(email, groups)) return json(res, 404, { error: "no such user" });
    json(res, 200, { email: email.toLowerCase(), groups });
  };
}
