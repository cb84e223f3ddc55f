/**
 * Typed failures of a trace backend. Callers branch on the class (retry later, ask an admin to fix
 * the key, show "unsupported"), never on message text. Messages never carry credentials.
 */
export type TraceErrorCode = "auth" | "rate_limit" | "upstream" | "timeout" | "shape" | "unsupported" | "not_found";

export class TraceSourceError extends Error {
  readonly code: TraceErrorCode;
  readonly status?: number;
  constructor(code: TraceErrorCode, message: string, opts: { status?: number; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = opts.status;
  }
}

/** 401/403: the API key is wrong, expired or lacks the role. Retrying will not help. */
export class TraceAuthError extends TraceSourceError {
  constructor(message: string, status?: number) {
    super("auth", message, { status });
  }
}

/** 429 that outlived our retries. `retryAfterMs` is the backend's hint, when it gave one. */
export class TraceRateLimitError extends TraceSourceError {
  readonly retryAfterMs?: number;
  constructor(message: string, retryAfterMs?: number) {
    super("rate_limit", message, { status: 429 });
    this.retryAfterMs = retryAfterMs;
  }
}

/** 5xx, connection refused, or any other answer the backend should not have given. */
export class TraceUpstreamError extends TraceSourceError {
  constructor(message: string, opts: { status?: number; cause?: unknown } = {}) {
    super("upstream", message, opts);
  }
}

export class TraceTimeoutError extends TraceSourceError {
  constructor(message: string) {
    super("timeout", message);
  }
}

/** The body was not JSON or did not match the documented shape (a renamed field, a truncated body). */
export class TraceShapeError extends TraceSourceError {
  readonly issues: string[];
  constructor(message: string, issues: string[] = [], cause?: unknown) {
    super("shape", message, { cause });
    this.issues = issues;
  }
}

/** An optional capability (e.g. grouped latency) the backend or this account does not offer. */
export class TraceUnsupportedError extends TraceSourceError {
  constructor(message: string) {
    super("unsupported", message);
  }
}

export class TraceNotFoundError extends TraceSourceError {
  constructor(message: string) {
    super("not_found", message, { status: 404 });
  }
}
