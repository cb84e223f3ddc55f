import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { ApiError, errorBody } from "@/lib/api/errors";
import { allowTraceCall, createUserRateLimit, type PassQuery } from "@/lib/queries/traces-allowlist";
import { passThrough } from "@/lib/queries/traces-passthrough";

// Read-only, allowlisted passthrough to the trace backend (services, streams, stream timeseries,
// stored traces) with the server's key. Per user: 30 calls a minute.
const limit = createUserRateLimit({ perMinute: 30 });
const params = z.object({ path: z.array(z.string().max(200)).max(8) });

function queryOf(url: URL): PassQuery {
  const out: PassQuery = {};
  for (const [k, v] of url.searchParams) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

export const GET = apiRoute({ permission: "console:read", params }, async ({ req, params, actor, requestId, ip }) => {
  const allowed = allowTraceCall(req.method, params.path, queryOf(req.nextUrl));
  if (!allowed.ok) {
    if (allowed.status === 404) throw new ApiError("not_found", allowed.message);
    throw new ApiError("bad_request", allowed.message, allowed.field);
  }
  const taken = limit.take(actor.id ?? actor.email ?? ip ?? "anonymous");
  if (!taken.ok) {
    return NextResponse.json(errorBody("rate_limited", "Too many trace API calls; wait a moment", undefined, requestId), {
      status: 429,
      headers: { "Retry-After": String(Math.ceil(taken.retryAfterMs / 1000)) },
    });
  }
  const body = await passThrough(allowed.call, req.signal);
  return NextResponse.json(body, { headers: { "Cache-Control": "private, max-age=15" } });
});

// Writes and other methods: the same 404 JSON as an unknown path.
const notFound = apiRoute({ permission: "console:read" }, async () => {
  throw new ApiError("not_found", "Not an allowed trace API call");
});
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
