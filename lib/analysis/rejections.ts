// Requests the gateway answered itself never reached the upstream: they are neither load on it nor
// samples of its latency. Tyk answers 429 for rate limits and quotas, and 401/403 for keys it
// refuses (unknown, expired, not allowed on the API) — those carry no upstream time; a 401/403 with
// upstream time came from the upstream and was served.

/** Whether the gateway rejected the request itself (Pump's responsecode and latency_upstream). */
export function isGatewayRejection(status: number, upstreamMs: number | null): boolean {
  return status === 429 || ((status === 401 || status === 403) && !(upstreamMs !== null && upstreamMs > 0));
}

/** The same rule over request_records' columns. */
export const GATEWAY_REJECTION_SQL = `(status = 429 OR (status IN (401, 403) AND COALESCE(upstream_ms, 0) = 0))`;
