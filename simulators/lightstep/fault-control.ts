// Body of `PUT /_sim/fault` on the running simulator (the e2e stack's fault switch). Outside
// /public/v0.2: no real Lightstep has it.
import type { Fault, FaultKind } from "./server";

const KINDS: FaultKind[] = ["500", "429", "slow", "truncated", "rename-field"];

/** `{"fault": null}` clears; `{"fault": {"kind", "times"?, "path"?, "delayMs"?}}` sets. A string says what is wrong. */
export function parseFaultBody(text: string): { fault: Fault | null } | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return "body is not JSON";
  }
  if (!body || typeof body !== "object" || !("fault" in body)) return 'expected {"fault": {...} | null}';
  const f = (body as { fault: unknown }).fault;
  if (f === null) return { fault: null };
  if (!f || typeof f !== "object") return "fault must be an object or null";
  const o = f as Record<string, unknown>;
  if (!KINDS.includes(o.kind as FaultKind)) return `fault.kind must be one of ${KINDS.join(", ")}`;
  for (const k of ["times", "delayMs"]) {
    if (o[k] !== undefined && !(typeof o[k] === "number" && Number.isFinite(o[k]) && o[k] >= 0)) return `fault.${k} must be a non-negative number`;
  }
  if (o.path !== undefined && typeof o.path !== "string") return "fault.path must be a string";
  return { fault: { kind: o.kind as FaultKind, times: o.times as number | undefined, path: o.path as string | undefined, delayMs: o.delayMs as number | undefined } };
}
