// Typed errors for the Tyk Dashboard client. Messages name the endpoint by path only (never the
// query string, which may carry key ids, and never the API key) and the HTTP status.

export class TykError extends Error {
  readonly endpoint: string;
  readonly status: number | null;
  constructor(message: string, endpoint: string, status: number | null, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.endpoint = endpoint;
    this.status = status;
  }
}

/** 401/403: the Dashboard API key is wrong, revoked or lacks a permission. */
export class TykAuthError extends TykError {}
export class TykNotFoundError extends TykError {}
export class TykRateLimitError extends TykError {
  readonly retryAfterMs: number | null;
  constructor(message: string, endpoint: string, retryAfterMs: number | null) {
    super(message, endpoint, 429);
    this.retryAfterMs = retryAfterMs;
  }
}
/** 5xx, other unexpected statuses, network failures and non-JSON bodies. */
export class TykUpstreamError extends TykError {}
export class TykTimeoutError extends TykError {}
/** The body did not match our schema; `issuePath` is e.g. `Data[3].rate`. */
export class TykResponseShapeError extends TykError {
  readonly issuePath: string;
  constructor(message: string, endpoint: string, status: number, issuePath: string) {
    super(message, endpoint, status);
    this.issuePath = issuePath;
  }
}

/** Formats a zod issue path the way a reader would write it: `Data[3].rate`. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out || "(root)";
}
