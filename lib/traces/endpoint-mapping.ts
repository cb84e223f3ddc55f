/**
 * Tyk endpoints (listen path + method + path template) <-> trace operations ("GET /orders/{id}").
 * Pure. Tyk, OpenAPI and tracing instrumentations spell path parameters differently
 * ({id}, {orderId}, :id) and some spans carry concrete paths (/orders/8812), so comparison
 * goes through one normal form where every parameter is "{param}".
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMERIC = /^\d+$/;
// Long hex runs are ids (Mongo object ids, hashes); short ones ("beef", "cafe") may be words.
const LONG_HEX = /^[0-9a-f]{16,}$/i;
const TEMPLATE_PARAM = /^\{[^{}]*\}$/;
const COLON_PARAM = /^:[A-Za-z_][\w-]*$/;

export interface EndpointLike {
  method: string;
  /** Full path template including the listen path, e.g. /orders/{id}. */
  path: string;
}

export interface ParsedOperation {
  method: string;
  path: string;
}

function isParamSegment(seg: string): boolean {
  return TEMPLATE_PARAM.test(seg) || COLON_PARAM.test(seg) || NUMERIC.test(seg) || UUID.test(seg) || LONG_HEX.test(seg);
}

/** Collapses slashes, drops the query and trailing slash; keeps parameter spellings. */
export function cleanPath(path: string): string {
  const noQuery = path.split(/[?#]/, 1)[0] ?? "";
  const collapsed = ("/" + noQuery).replace(/\/{2,}/g, "/");
  return collapsed.length > 1 ? collapsed.replace(/\/$/, "") : collapsed;
}

/** The comparison form: every parameter-like segment becomes {param}. */
export function normalizePathTemplate(path: string): string {
  return cleanPath(path)
    .split("/")
    .map((seg) => (seg && isParamSegment(seg) ? "{param}" : seg))
    .join("/");
}

/** Joins a Tyk listen path and an endpoint path unless the path already starts with it. */
export function joinListenPath(listenPath: string, path: string): string {
  const base = cleanPath(listenPath);
  const p = cleanPath(path);
  if (base === "/") return p;
  if (p === base || p.startsWith(base + "/")) return p;
  return cleanPath(`${base}/${p}`);
}

export function operationName(method: string, pathTemplate: string): string {
  return `${method.toUpperCase()} ${cleanPath(pathTemplate)}`;
}

export function parseOperation(operation: string): ParsedOperation | null {
  const m = /^([A-Za-z]+)\s+(\/\S*)$/.exec(operation.trim());
  if (!m) return null;
  return { method: m[1].toUpperCase(), path: cleanPath(m[2]) };
}

/** Key under which an endpoint and an operation are considered the same thing. */
export function endpointKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${normalizePathTemplate(path)}`;
}

/**
 * The operation an endpoint maps to: among `knownOperations` (as reported by the trace backend)
 * the one with the same normal form, preferring an exact spelling; otherwise the operation the
 * gateway would emit for it (`METHOD template`).
 */
export function operationForEndpoint(endpoint: EndpointLike, knownOperations: readonly string[] = []): string {
  const own = operationName(endpoint.method, endpoint.path);
  if (knownOperations.includes(own)) return own;
  const key = endpointKey(endpoint.method, endpoint.path);
  const match = knownOperations.find((op) => {
    const parsed = parseOperation(op);
    return parsed !== null && endpointKey(parsed.method, parsed.path) === key;
  });
  return match ?? own;
}

/**
 * What the sync should write to Endpoint.operation: null means "leave as is" (a manual mapping, or
 * already right).
 */
export function nextOperation(
  endpoint: EndpointLike & { operation: string | null; mappingSource: string },
  knownOperations: readonly string[] = [],
): string | null {
  if (endpoint.mappingSource === "manual") return null;
  const op = operationForEndpoint(endpoint, knownOperations);
  return op === endpoint.operation ? null : op;
}
