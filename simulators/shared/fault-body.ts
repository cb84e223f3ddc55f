// The envelope both simulators' `PUT /_sim/fault` accept: `{"fault": null}` clears; `{"fault": {"kind", …}}`
// sets. Each simulator checks its own extra fields on the object this returns.

/** The fault object with a known `kind`, null to clear, or a string saying what is wrong. */
export function readFaultEnvelope(text: string, kinds: readonly string[]): Record<string, unknown> | null | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return "body is not JSON";
  }
  if (!body || typeof body !== "object" || !("fault" in body)) return 'expected {"fault": {...} | null}';
  const f = (body as { fault: unknown }).fault;
  if (f === null) return null;
  if (!f || typeof f !== "object") return "fault must be an object or null";
  const o = f as Record<string, unknown>;
  if (typeof o.kind !== "string" || !kinds.includes(o.kind)) return `fault.kind must be one of ${kinds.join(", ")}`;
  return o;
}
