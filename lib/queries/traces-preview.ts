/**
 * Pure part of the identity-mapping preview: what a set of rules makes of stored span attributes.
 * Rows no rule maps stay in the result with `mapped: false` — unattributed traffic must stay visible.
 */
import { DEFAULT_IDENTITY_RULES, IDENTITY_FIELDS, mapIdentity, type IdentityRule } from "@/lib/traces/identity-mapping";
import { displayKeyValue, KEY_HASH_ATTRIBUTE } from "./traces-model";

type AttrValue = string | number | boolean;

export interface PreviewSpan {
  spanId: string;
  traceId: string;
  ts: number;
  endpoint: string;
  attributes: Record<string, AttrValue>;
}

export interface PreviewRow {
  spanId: string;
  traceId: string;
  ts: number;
  endpoint: string;
  mapped: boolean;
  /** Identity field → value, display-safe (key hash shortened). */
  fields: Partial<Record<(typeof IDENTITY_FIELDS)[number], string>>;
  /** The attributes the rules looked at and found on this span, display-safe. */
  matched: { attribute: string; value: string }[];
  /** Filled in by the caller from the Key / Identity tables. */
  identity?: { name: string; kind: string } | null;
}

const PROP_OF = { key_alias: "keyAlias", key_hash: "keyHash", person_email: "email", service: "service", team: "team" } as const;

/** Only plain scalar attributes count; anything else in the stored JSON is ignored. */
export function scalarAttributes(raw: unknown): Record<string, AttrValue> {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return {};
  const out: Record<string, AttrValue> = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[k] = v;
  return out;
}

export function previewRows(spans: PreviewSpan[], rules: IdentityRule[]): PreviewRow[] {
  // No rules at all means the built-in defaults apply (as in the sync), so show what they match.
  const attributes = [...new Set((rules.length ? rules : DEFAULT_IDENTITY_RULES).map((r) => r.attribute))];
  return spans.map((s) => {
    const m = mapIdentity(s.attributes, rules);
    const fields: PreviewRow["fields"] = {};
    for (const f of IDENTITY_FIELDS) {
      const v = m[PROP_OF[f]];
      if (v !== undefined) fields[f] = f === "key_hash" ? displayKeyValue(v) : v;
    }
    const matched = attributes
      .filter((a) => s.attributes[a] !== undefined)
      .map((a) => ({ attribute: a, value: a === KEY_HASH_ATTRIBUTE ? displayKeyValue(s.attributes[a]) : String(s.attributes[a]) }));
    return { spanId: s.spanId, traceId: s.traceId, ts: s.ts, endpoint: s.endpoint, mapped: m.mapped, fields, matched };
  });
}
