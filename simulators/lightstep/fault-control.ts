// Body of `PUT /_sim/fault` on the running simulator (the e2e stack's fault switch). Outside
// /public/v0.2: no real Lightstep has it.
import { readFaultEnvelope } from "../shared/fault-body";
import type { Fault, FaultKind } from "./server";

const KINDS: FaultKind[] = ["500", "429", "slow", "truncated", "rename-field"];

/** `{"fault": null}` clears; `{"fault": {"kind", "times"?, "path"?, "delayMs"?}}` sets. A string says what is wrong. */
export function parseFaultBody(text: string): { fault: Fault | null } | string {
  const o = readFaultEnvelope(text, KINDS);
  if (o === null) return { fault: null };
  if (typeof o === "string") return o;
  for (const k of ["times", "delayMs"]) {
    if (o[k] !== undefined && !(typeof o[k] === "number" && Number.isFinite(o[k]) && o[k] >= 0)) return `fault.${k} must be a non-negative number`;
  }
  if (o.path !== undefined && typeof o.path !== "string") return "fault.path must be a string";
  return { fault: { kind: o.kind as FaultKind, times: o.times as number | undefined, path: o.path as string | undefined, delayMs: o.delayMs as number | undefined } };
}
