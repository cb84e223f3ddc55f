import { randomUUID } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import type { z } from "zod";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import type { Permission } from "@/lib/auth/permissions";
import { actorCan, currentActor, TokenRefused, type Actor } from "@/lib/auth/session";
import { requestClientIp } from "@/lib/security/client-ip";
import { API_BODY_LIMIT, BODY_TIMEOUT_MS, readBodyText, refuseDeclaredOversize } from "./body";
import { ApiError, errorBody, toErrorResponse } from "./errors";

type Schema = z.ZodType;
type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

export interface HandlerContext<P, Q, B> {
  req: NextRequest;
  actor: Actor;
  params: P;
  query: Q;
  body: B;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
}

export interface RouteOptions<PS, QS, BS> {
  permission: Permission;
  params?: PS;
  query?: QS;
  body?: BS;
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

// Browsers send Origin on every cross-site state-changing request; a cookie-authenticated write
// from another origin is refused (CSRF), whatever its content type.
function assertSameOrigin(req: NextRequest): void {
  if (SAFE_METHODS.has(req.method)) return;
  const origin = req.headers.get("origin");
  const expected = new URL(env().NEXTAUTH_URL).origin;
  if (origin !== expected) throw new ApiError("forbidden", "Cross-site request refused (Origin does not match the console)");
}

function queryObject(req: NextRequest): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of req.nextUrl.searchParams) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

async function readJson(req: NextRequest): Promise<unknown> {
  const text = await readBodyText(req, { limit: API_BODY_LIMIT, timeoutMs: BODY_TIMEOUT_MS });
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("bad_request", "body: not valid JSON", "body");
  }
}

// PostgreSQL cannot store U+0000 in text or jsonb: refuse it at the door (400 naming the field)
// instead of letting a filter or an audit record fail with a 500 deep inside.
function pathOfNul(value: unknown, path: string[], depth = 0): string[] | null {
  if (typeof value === "string") return value.includes("\u0000") ? path : null;
  if (depth > 32 || value === null || typeof value !== "object") return null;
  for (const [k, v] of Object.entries(value)) {
    if (k.includes("\u0000")) return [...path, k.replaceAll("\u0000", "\\0")];
    const found = pathOfNul(v, [...path, k], depth + 1);
    if (found) return found;
  }
  return null;
}

// A zod issue at the root (a body that is an array, a string, null) has an empty path: name the
// part itself so every 400 still says which field to fix.
function parsePart(schema: Schema, value: unknown, part: "params" | "query" | "body"): unknown {
  const nul = pathOfNul(value, []);
  if (nul) throw new ApiError("bad_request", `${nul.join(".") || part}: must not contain NUL characters`, nul.join(".") || part);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue && issue.path.length === 0) throw new ApiError("bad_request", `${part}: ${issue.message}`, part);
  throw result.error;
}

async function authenticate(req: NextRequest): Promise<Actor | null> {
  try {
    return await currentActor(req.headers.get("authorization"));
  } catch (err) {
    // One message for malformed, unknown, revoked and expired: a prober learns nothing about which.
    if (err instanceof TokenRefused) throw new ApiError("unauthorized", "The API token is invalid, expired or revoked");
    throw err;
  }
}

// API answers are per caller and often sensitive: no browser or proxy may keep a copy.
function noStore(res: Response): Response {
  res.headers.set("Cache-Control", "no-store");
  return res;
}

/** A wrapped handler; `options` lets the security suite read every route's schemas (lib/security/schema-bounds.test.ts). */
export type ApiHandler = ((req: NextRequest, routeCtx: RouteContext) => Promise<Response>) & { options: RouteOptions<unknown, unknown, unknown> };

/**
 * Wraps a route handler with a body cap (413 before reading past 1 MB, 408 for a body that trickles
 * in), authentication (session cookie, or `Authorization: Bearer tl_…`), the permission check, zod
 * validation of params, query and body, and the one error shape. The handler returns data (sent as
 * JSON) or a Response; every answer carries Cache-Control: no-store.
 */
export function apiRoute<PS extends Schema | undefined = undefined, QS extends Schema | undefined = undefined, BS extends Schema | undefined = undefined>(
  opts: RouteOptions<PS, QS, BS>,
  handler: (ctx: HandlerContext<Infer<PS>, Infer<QS>, Infer<BS>>) => Promise<unknown>,
): ApiHandler {
  const wrapped = async (req: NextRequest, routeCtx: RouteContext): Promise<Response> => {
    const requestId = randomUUID();
    try {
      refuseDeclaredOversize(req.headers, API_BODY_LIMIT);
      const actor = await authenticate(req);
      if (!actor) return noStore(NextResponse.json(errorBody("unauthorized", "Sign in to use this API", undefined, requestId), { status: 401 }));
      if (!actorCan(actor, opts.permission)) {
        throw new ApiError(
          "forbidden",
          actor.type === "token"
            ? `This token's scopes (${actor.scopes.join(", ")}) do not grant the permission ${opts.permission}`
            : `Your role (${actor.role}) does not have the permission ${opts.permission}`,
        );
      }
      // A bearer-token request carries no cookies, so there is nothing for a cross-site page to ride on.
      if (actor.type === "user") assertSameOrigin(req);
      const rawParams = routeCtx?.params ? await routeCtx.params : {};
      const params = (opts.params ? parsePart(opts.params, rawParams, "params") : rawParams) as Infer<PS>;
      const query = (opts.query ? parsePart(opts.query, queryObject(req), "query") : undefined) as Infer<QS>;
      const body = (opts.body ? parsePart(opts.body, await readJson(req), "body") : undefined) as Infer<BS>;
      const result = await handler({
        req,
        actor,
        params,
        query,
        body,
        requestId,
        ip: requestClientIp(req.headers),
        userAgent: req.headers.get("user-agent"),
      });
      return noStore(result instanceof Response ? result : NextResponse.json(result ?? { ok: true }));
    } catch (err) {
      const { status, body, unexpected, headers } = toErrorResponse(err, requestId);
      if (unexpected) log.error({ requestId, err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) }, "unhandled API error");
      return noStore(NextResponse.json(body, { status, headers }));
    }
  };
  return Object.assign(wrapped, { options: opts as RouteOptions<unknown, unknown, unknown> });
}
