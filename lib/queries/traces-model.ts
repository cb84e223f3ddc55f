/**
 * Pure shaping of a backend trace for the trace view: waterfall rows (depth, offset and width as
 * fractions of the trace), the identity attributes worth highlighting, and redaction of key
 * attributes (a gateway with hash_keys off puts the raw key on the span; it must never reach a browser).
 */
import type { Trace, TraceSpan } from "@/lib/traces/trace-source";

type AttrValue = string | number | boolean;

// Tyk key hashes: murmur32/64/128 or sha256 hex. Anything else in a key attribute is a raw key.
const HASH_LIKE = /^(?:[0-9a-f]{8}|[0-9a-f]{16}|[0-9a-f]{32}|[0-9a-f]{64})$/i;
export const KEY_HASH_ATTRIBUTE = "tyk.api.apikey";

export const IDENTITY_ATTRIBUTES = [
  { attribute: "tyk.api.apikey.alias", label: "Key alias" },
  { attribute: KEY_HASH_ATTRIBUTE, label: "Key hash" },
  { attribute: "enduser.id", label: "End user" },
  { attribute: "tyk.api.oauthid", label: "OAuth client" },
  { attribute: "deployment.environment", label: "Environment" },
] as const;

/** A key hash shortened for display; a value that is not a hash is hidden entirely. */
export function displayKeyValue(value: AttrValue): string {
  const v = String(value);
  return HASH_LIKE.test(v) ? `${v.slice(0, 8)}…` : "•••• (raw key hidden)";
}

export function isKeyHash(value: AttrValue | undefined): value is string {
  return value !== undefined && HASH_LIKE.test(String(value));
}

/** Attributes safe to show: key attributes shortened or hidden, everything else as is. */
export function redactAttributes(attributes: Record<string, AttrValue>): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = { ...attributes };
  if (KEY_HASH_ATTRIBUTE in out) out[KEY_HASH_ATTRIBUTE] = displayKeyValue(out[KEY_HASH_ATTRIBUTE]);
  return out;
}

export interface IdentityHighlight {
  attribute: string;
  label: string;
  value: string;
}

/** The identity attributes present on a span, in a fixed order, values display-safe. */
export function identityHighlights(attributes: Record<string, AttrValue>): IdentityHighlight[] {
  return IDENTITY_ATTRIBUTES.filter((a) => attributes[a.attribute] !== undefined && String(attributes[a.attribute]) !== "").map((a) => ({
    attribute: a.attribute,
    label: a.label,
    value: a.attribute === KEY_HASH_ATTRIBUTE ? displayKeyValue(attributes[a.attribute]) : String(attributes[a.attribute]),
  }));
}

export interface WaterfallRow {
  spanId: string;
  parentSpanId: string | null;
  depth: number;
  service: string;
  name: string;
  isError: boolean;
  durationMs: number;
  /** Start offset from the trace start, in ms. */
  offsetMs: number;
  /** Offset and width as fractions (0..1) of the trace's total duration. */
  left: number;
  width: number;
  attributes: Record<string, AttrValue>;
}

export interface Waterfall {
  startUs: number;
  durationMs: number;
  rows: WaterfallRow[];
}

/**
 * Spans in tree order (parent before children, siblings by start time). Spans whose parent is
 * missing from the trace become roots rather than disappearing.
 */
export function buildWaterfall(trace: Trace): Waterfall {
  const spans = trace.spans;
  if (!spans.length) return { startUs: 0, durationMs: 0, rows: [] };
  const startUs = Math.min(...spans.map((s) => s.startUs));
  const endUs = Math.max(...spans.map((s) => s.endUs));
  const total = Math.max(1, endUs - startUs);
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string | null, TraceSpan[]>();
  for (const s of spans) {
    const parent = s.parentSpanId && ids.has(s.parentSpanId) && s.parentSpanId !== s.spanId ? s.parentSpanId : null;
    children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  for (const list of children.values()) list.sort((a, b) => a.startUs - b.startUs || a.spanId.localeCompare(b.spanId));
  const rows: WaterfallRow[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number) => {
    for (const s of children.get(parent) ?? []) {
      if (seen.has(s.spanId)) continue; // a cycle in bad data must not loop forever
      seen.add(s.spanId);
      rows.push({
        spanId: s.spanId,
        parentSpanId: s.parentSpanId,
        depth,
        service: s.service,
        name: s.name,
        isError: s.isError,
        durationMs: (s.endUs - s.startUs) / 1000,
        offsetMs: (s.startUs - startUs) / 1000,
        left: (s.startUs - startUs) / total,
        width: Math.max(0, (s.endUs - s.startUs) / total),
        attributes: redactAttributes(s.attributes),
      });
      walk(s.spanId, depth + 1);
    }
  };
  walk(null, 0);
  // Spans only reachable through a cycle: list them flat at the end.
  for (const s of spans) if (!seen.has(s.spanId)) {
    seen.add(s.spanId);
    rows.push({
      spanId: s.spanId, parentSpanId: s.parentSpanId, depth: 0, service: s.service, name: s.name, isError: s.isError,
      durationMs: (s.endUs - s.startUs) / 1000, offsetMs: (s.startUs - startUs) / 1000,
      left: (s.startUs - startUs) / total, width: (s.endUs - s.startUs) / total, attributes: redactAttributes(s.attributes),
    });
  }
  return { startUs, durationMs: total / 1000, rows };
}

/** The backend UI's page for a span: `{uiBase}/{project}/trace?span_guid=<id>`. */
export function traceDeepLink(uiBase: string, project: string, spanId: string): string {
  return `${uiBase.replace(/\/+$/, "")}/${encodeURIComponent(project)}/trace?span_guid=${encodeURIComponent(spanId)}`;
}
