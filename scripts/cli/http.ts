// A tiny client for the console API with a bearer token. Errors carry the server's one error shape.
import type { Remote } from "./args";

export class ApiCallError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export async function apiCall<T>(remote: Remote, method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${remote.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${remote.token}`, accept: "application/json", ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (err) {
    throw new ApiCallError(0, `cannot reach ${remote.url}: ${(err as Error).message}`);
  }
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: reported below */
  }
  if (!res.ok) {
    const e = (json as { error?: { message?: string; requestId?: string } } | undefined)?.error;
    throw new ApiCallError(res.status, `${method} ${path} → ${res.status}${e?.message ? `: ${e.message}` : ""}${e?.requestId ? ` (request id ${e.requestId})` : ""}`);
  }
  if (json === undefined) throw new ApiCallError(res.status, `${method} ${path}: the server answered with something that is not JSON`);
  return json as T;
}

interface EndpointMatch {
  id: string;
  method: string;
  path: string;
  apiName: string;
}

/** An endpoint id from an id or "METHOD /path" (via GET /api/endpoints?q=); ambiguous or unknown → error. */
export async function resolveEndpoint(remote: Remote, spec: string): Promise<EndpointMatch | { id: string }> {
  if (!/^[A-Z]+\s+\//i.test(spec)) return { id: spec };
  const { endpoints } = await apiCall<{ endpoints: EndpointMatch[] }>(remote, "GET", `/api/endpoints?q=${encodeURIComponent(spec)}`);
  if (!endpoints.length) throw new ApiCallError(404, `no endpoint matches "${spec}"`);
  if (endpoints.length > 1) {
    const list = endpoints.map((e) => `  ${e.id}  ${e.method} ${e.path}  (${e.apiName})`).join("\n");
    throw new ApiCallError(409, `"${spec}" matches ${endpoints.length} endpoints (one per API); pass an id:\n${list}`);
  }
  return endpoints[0];
}
