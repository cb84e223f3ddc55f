/**
 * Runs an allowlisted read against the trace backend with the server-held key, through the
 * adapter's HTTP layer: the same per-org rate limiter as the sync and the trace view (never above
 * 2 req/s in total), a 15 s response cache, and typed, key-free errors.
 */
import { z } from "zod";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/api/errors";
import { TraceNotFoundError, TraceRateLimitError, TraceSourceError } from "@/lib/traces/errors";
import { LightstepHttp } from "@/lib/traces/lightstep/http-client";
import { readLightstepConfig } from "@/lib/traces/lightstep/config";
import { sharedRateLimiter } from "@/lib/traces/lightstep/rate-limiter";
import { scrubRawKeys, type AllowedCall } from "./traces-allowlist";

const holder = globalThis as unknown as { touchlinePassthrough?: LightstepHttp | null };

function http(): LightstepHttp | null {
  if (holder.touchlinePassthrough === undefined) {
    const config = env();
    if (config.TRACE_BACKEND !== "lightstep" || !config.LIGHTSTEP_ORG || !config.LIGHTSTEP_PROJECT || !config.LIGHTSTEP_API_KEY) {
      holder.touchlinePassthrough = null;
    } else {
      const ls = readLightstepConfig(process.env);
      holder.touchlinePassthrough = new LightstepHttp({
        ...ls,
        // Same key as the adapter's limiter: one budget per org for the whole process.
        limiter: sharedRateLimiter(`${ls.baseUrl}|${ls.org}`, 2),
        cacheTtlMs: 15_000,
        maxRetries: 1,
        timeoutMs: 10_000,
      });
    }
  }
  return holder.touchlinePassthrough;
}

/** The backend's JSON for an allowed call; ApiErrors for the route to map. */
export async function passThrough(call: AllowedCall, signal?: AbortSignal): Promise<unknown> {
  const client = http();
  if (!client) throw new ApiError("not_found", "No trace backend is configured");
  try {
    return scrubRawKeys(await client.get(call.path, call.query, z.unknown(), signal, true));
  } catch (err) {
    if (err instanceof TraceNotFoundError) throw new ApiError("not_found", err.message);
    if (err instanceof TraceRateLimitError) throw new ApiError("rate_limited", "The trace backend is busy; try again shortly");
    if (err instanceof TraceSourceError) throw new ApiError("upstream_unavailable", err.message);
    throw err;
  }
}
