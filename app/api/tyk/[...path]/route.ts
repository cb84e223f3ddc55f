import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { ApiError, errorBody } from "@/lib/api/errors";
import { log } from "@/lib/log";
import { tykClientFromEnv } from "@/lib/sync/connectors";
import { TykNotFoundError } from "@/lib/tyk/errors";
import { RateLimiter } from "@/lib/queries/rate-limit";
import { TtlCache } from "@/lib/queries/ttl-cache";
import { matchTykProxy, pickTykFields, proxyCacheKey } from "@/lib/queries/tyk-proxy";

// Per process, kept across dev reloads like the db client.
const holder = globalThis as unknown as { touchlineTykProxy?: { cache: TtlCache<unknown>; limiter: RateLimiter } };
const state = (holder.touchlineTykProxy ??= { cache: new TtlCache(15_000), limiter: new RateLimiter(30, 60_000) });

const params = z.object({ path: z.array(z.string().max(200)).min(1).max(6) });

/**
 * Read-only passthrough to a few Dashboard endpoints with the server-held key (the browser never
 * sees it). Answers carry only each route's allowlisted fields (lib/queries/tyk-proxy.ts) and are
 * cached ~15 s; each user may make 30 calls a minute.
 */
export const GET = apiRoute({ permission: "console:read", params }, async ({ req, actor, params }) => {
  const target = matchTykProxy(req.method, params.path, req.nextUrl.searchParams);
  if (!target) throw new ApiError("not_found", "This Tyk Dashboard path is not available through the console");
  const verdict = state.limiter.take(actor.id);
  if (!verdict.allowed) {
    const seconds = Math.ceil(verdict.retryAfterMs / 1000);
    return NextResponse.json(
      { error: { code: "rate_limited", message: `Too many Tyk passthrough calls; try again in ${seconds} s` } },
      { status: 429, headers: { "Retry-After": String(seconds) } },
    );
  }
  const key = proxyCacheKey(target);
  const cached = state.cache.get(key);
  if (cached !== undefined) return NextResponse.json(cached, { headers: { "X-Touchline-Cache": "hit" } });
  const client = tykClientFromEnv();
  if (!client) throw new ApiError("upstream_unavailable", "The Tyk Dashboard is not configured");
  let body: unknown;
  try {
    body = await client.request({ path: target.path, query: Object.fromEntries(target.query), schema: z.unknown(), signal: req.signal });
  } catch (err) {
    if (err instanceof TykNotFoundError) throw new ApiError("not_found", "Not found in the Tyk Dashboard");
    log.warn({ path: target.path, err: err instanceof Error ? err.message : String(err) }, "tyk passthrough failed");
    throw new ApiError("upstream_unavailable", "The Tyk Dashboard did not answer");
  }
  const safe = pickTykFields(body, target.shape);
  state.cache.set(key, safe);
  return NextResponse.json(safe, { headers: { "X-Touchline-Cache": "miss" } });
});

// The passthrough is read-only: every other method gets the same 404 as an unknown path — behind
// the same guard, so an anonymous caller learns nothing (401) and the route guard test holds.
const notAvailable = apiRoute({ permission: "console:read" }, async () =>
  NextResponse.json(errorBody("not_found", "This Tyk Dashboard path is not available through the console"), { status: 404 }),
);
export const POST = notAvailable;
export const PUT = notAvailable;
export const PATCH = notAvailable;
export const DELETE = notAvailable;
