// Methods the console has routes for. Anything else Node's parser lets through (TRACE, PROPFIND,
// MKCOL, LOCK…) is answered 405 by scripts/serve.ts before Next sees it: Next builds a fetch
// Request for each request, and the Fetch standard refuses TRACE and TRACK there — a 500.
export const ROUTE_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

const ALLOWED = new Set<string>(ROUTE_METHODS);

/** The 405 answer for a method no route has, or null for one Next may handle. */
export function refuseMethod(method: string | undefined): { status: 405; headers: Record<string, string>; body: string } | null {
  if (method && ALLOWED.has(method)) return null;
  return {
    status: 405,
    headers: { "Content-Type": "application/json", Allow: ROUTE_METHODS.join(", "), "Cache-Control": "no-store", "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'", "X-Content-Type-Options": "nosniff" },
    body: JSON.stringify({ error: { code: "method_not_allowed", message: `Method ${String(method).slice(0, 20)} is not allowed` } }),
  };
}
