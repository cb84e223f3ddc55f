// Injected misbehaviour for client tests: errors, throttling, slowness and broken bodies.

import { readFaultEnvelope } from "../shared/fault-body";

export type Fault = (
  | { kind: "500"; times?: number; path?: RegExp }
  | { kind: "429"; retryAfterSeconds?: number; times?: number; path?: RegExp }
  | { kind: "slow"; ms: number; times?: number; path?: RegExp }
  | { kind: "truncated"; times?: number; path?: RegExp }
  | { kind: "rename-field"; times?: number; path?: RegExp }
  | { kind: "empty-page"; times?: number; path?: RegExp }
) & { skip?: number };

export class FaultSwitch {
  private fault: Fault | null = null;
  private remaining = Infinity;
  private skipping = 0;

  /** `skip` lets that many matching requests through first (e.g. an empty page in the middle of a walk). */
  set(fault: Fault | null): void {
    this.fault = fault;
    this.remaining = fault?.times ?? Infinity;
    this.skipping = fault?.skip ?? 0;
  }

  /** The fault to apply to this request (consuming one of its `times`), if any. */
  take(path: string): Fault | null {
    const f = this.fault;
    if (!f || this.remaining <= 0 || (f.path && !f.path.test(path))) return null;
    if (this.skipping > 0) {
      this.skipping--;
      return null;
    }
    this.remaining--;
    return f;
  }
}

const LIST_FIELDS = ["apis", "Data", "keys", "users", "audit_logs", "data"];

/** Schema drift: the list field (or the first field of a single object) gets a new name. */
export function renameField(body: unknown): unknown {
  if (!body || typeof body !== "object" || Array.isArray(body)) return body;
  const obj = body as Record<string, unknown>;
  const key = LIST_FIELDS.find((k) => k in obj) ?? Object.keys(obj)[0];
  if (!key) return body;
  const { [key]: value, ...rest } = obj;
  return { ...rest, [`${key}_renamed`]: value };
}

/** A page that claims the same page count but lists nothing. */
export function emptyPage(body: unknown): unknown {
  if (!body || typeof body !== "object" || Array.isArray(body)) return body;
  const obj = { ...(body as Record<string, unknown>) };
  for (const k of LIST_FIELDS) {
    if (Array.isArray(obj[k])) obj[k] = [];
    else if (k === "data" && obj.data && typeof obj.data === "object" && Array.isArray((obj.data as { keys?: unknown }).keys)) {
      obj.data = { keys: [] };
    }
  }
  return obj;
}

const KINDS = ["500", "429", "slow", "truncated", "rename-field", "empty-page"];

/**
 * Parses the body of `PUT /_sim/fault` (the running simulator's fault switch, for e2e tests):
 * `{"fault": null}` clears it; `{"fault": {"kind": "500", "path"?: regex source, "times"?, "skip"?,
 * "retryAfterSeconds"?, "ms"?}}` sets it. A string result says what is wrong.
 */
export function parseFaultBody(text: string): { fault: Fault | null } | string {
  const o = readFaultEnvelope(text, KINDS);
  if (o === null) return { fault: null };
  if (typeof o === "string") return o;
  const num = (k: string) => (o[k] === undefined ? undefined : typeof o[k] === "number" && Number.isFinite(o[k]) && o[k] >= 0 ? o[k] : NaN);
  const [times, skip, retryAfterSeconds, ms] = ["times", "skip", "retryAfterSeconds", "ms"].map(num);
  if ([times, skip, retryAfterSeconds, ms].some((n) => Number.isNaN(n))) return "times, skip, retryAfterSeconds and ms must be non-negative numbers";
  let path: RegExp | undefined;
  if (o.path !== undefined) {
    if (typeof o.path !== "string") return "fault.path must be a regular expression source";
    try {
      path = new RegExp(o.path);
    } catch {
      return "fault.path is not a valid regular expression";
    }
  }
  if (o.kind === "slow" && ms === undefined) return "a slow fault needs ms";
  return { fault: { kind: o.kind, times, skip, path, retryAfterSeconds, ms } as Fault };
}
