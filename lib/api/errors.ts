import { z } from "zod";

export type ErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "request_timeout"
  | "conflict"
  | "gone"
  | "payload_too_large"
  | "rate_limited"
  | "upstream_unavailable"
  | "internal";

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  rate_limited: 429,
  upstream_unavailable: 502,
  internal: 500,
};

/** The one error type route handlers throw; `toErrorResponse` turns it into the one error shape. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    /** Sent as Retry-After (a 429's wait, in seconds). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "ApiError";
  }
  get status(): number {
    return STATUS[this.code];
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string; requestId?: string };
}

export function errorBody(code: ErrorCode, message: string, field?: string, requestId?: string): ErrorBody {
  return { error: { code, message, ...(field ? { field } : {}), ...(requestId ? { requestId } : {}) } };
}

/** Maps anything thrown in a handler to a status and body. Unknown errors never leak internals. */
export function toErrorResponse(err: unknown, requestId: string): { status: number; body: ErrorBody; unexpected: boolean; headers?: Record<string, string> } {
  if (err instanceof ApiError) {
    const headers = err.retryAfterSeconds !== undefined ? { "Retry-After": String(err.retryAfterSeconds) } : undefined;
    return { status: err.status, body: errorBody(err.code, err.message, err.field, requestId), unexpected: false, headers };
  }
  if (err instanceof z.ZodError) {
    const issue = err.issues[0];
    const field = issue?.path.map(String).join(".") || undefined;
    const message = field ? `${field}: ${issue?.message}` : (issue?.message ?? "invalid input");
    return { status: 400, body: errorBody("bad_request", message, field, requestId), unexpected: false };
  }
  return {
    status: 500,
    body: errorBody("internal", "Something went wrong on our side. Quote the request id when reporting it.", undefined, requestId),
    unexpected: true,
  };
}
