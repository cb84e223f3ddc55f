/**
 * Each coverage gap with its likely cause and fix, one line each. Pure: the page loads the facts
 * (figures per API, API definitions, keys nobody is behind, attributes on anonymous traces).
 */
import { formatCount, formatPercent } from "@/lib/format";
import type { IdentityField, IdentityRule } from "@/lib/traces/identity-mapping";
import type { CoverageApi } from "./summarise";

export interface CoverageGap {
  kind: "tracing_off" | "no_trace_id" | "not_held" | "keyless" | "key_no_alias" | "key_unknown" | "attribute_unmapped";
  apiId: string | null;
  cause: string;
  fix: string;
  /** What the gap costs, in requests or traces: the page ranks gaps by it. */
  weight: number;
}

export interface GapFacts {
  apis: CoverageApi[];
  /** Tyk's `detailed_tracing` per API id, when its definition says. */
  detailedTracing: Map<string, boolean | undefined>;
  anonymousKeys: { noAlias: number; noAliasRequests: number; unknown: number };
  /** Attribute name → anonymous exemplars carrying it. */
  anonymousAttributes: Map<string, number>;
  /** The identity mapping rules in force. */
  rules: readonly IdentityRule[];
}

/** Below this share of requests with a trace id, an API's tracing is reported as a gap. */
export const TRACE_ID_FLOOR = 0.9;
/** Below this share of traced requests counted by the backend. */
export const HELD_FLOOR = 0.8;

// Span attributes that name who made a request, by OTel semantic conventions and common custom names.
const IDENTITY_LIKE = /(^enduser\.)|email|(^|[._])(user|customer|account|principal|subject|client)([._]?id|[._]name)?$|apikey\.alias$/i;

/** The identity field an unmapped attribute most likely holds. */
export function likelyField(attribute: string): IdentityField {
  if (/alias$/i.test(attribute)) return "key_alias";
  if (/service|client/i.test(attribute)) return "service";
  return "person_email";
}

export function isIdentityLike(attribute: string): boolean {
  return IDENTITY_LIKE.test(attribute);
}

export function coverageGaps(f: GapFacts): CoverageGap[] {
  const out: CoverageGap[] = [];
  for (const api of f.apis) {
    const { traceId, held } = api.shares;
    if (traceId !== null && traceId < TRACE_ID_FLOOR) {
      const untraced = api.requests - api.traced;
      if (f.detailedTracing.get(api.id) === false) {
        out.push({ kind: "tracing_off", apiId: api.id, weight: untraced,
          cause: `API ${api.name} has detailed tracing off in its API definition: ${formatPercent(traceId)} of its ${formatCount(api.requests)} requests carry a trace id`,
          fix: `Set detailed_tracing: true on ${api.name}'s API definition in Tyk (with OpenTelemetry enabled on the gateway)` });
      } else {
        out.push({ kind: "no_trace_id", apiId: api.id, weight: untraced,
          cause: `Only ${formatPercent(traceId)} of API ${api.name}'s ${formatCount(api.requests)} requests carry a trace id`,
          fix: "Check that OpenTelemetry is enabled on every gateway serving it (opentelemetry.enabled in tyk.conf)" });
      }
    }
    if (held !== null && held < HELD_FLOOR) {
      out.push({ kind: "not_held", apiId: api.id, weight: Math.max(0, api.traced - api.backendSpans),
        cause: `The trace backend counted ${formatPercent(held)} of API ${api.name}'s ${formatCount(api.traced)} traced requests`,
        fix: "Check the collector's sampling rate and that the gateway exports its spans to it" });
    }
    if (api.keyless > 0) {
      out.push({ kind: "keyless", apiId: api.id, weight: api.keyless,
        cause: `API ${api.name} took ${formatCount(api.keyless)} requests with no key, so with no identity`,
        fix: `Require authentication on ${api.name}, or map a header or span attribute to an identity` });
    }
  }
  const k = f.anonymousKeys;
  if (k.noAlias > 0) {
    out.push({ kind: "key_no_alias", apiId: null, weight: k.noAliasRequests,
      cause: `Key alias empty for ${formatCount(k.noAlias)} key${k.noAlias === 1 ? "" : "s"}: ${formatCount(k.noAliasRequests)} requests with no identity`,
      fix: "Give each key an alias, or meta_data.email / meta_data.service, in Tyk" });
  }
  if (k.unknown > 0) {
    out.push({ kind: "key_unknown", apiId: null, weight: k.unknown,
      cause: `${formatCount(k.unknown)} calling key${k.unknown === 1 ? " is" : "s are"} unknown to Touchline`,
      fix: "Run the Tyk sync: keys created since the last one are picked up then" });
  }
  const mapped = new Set(f.rules.map((r) => r.attribute));
  for (const [attribute, n] of f.anonymousAttributes) {
    if (mapped.has(attribute) || !isIdentityLike(attribute)) continue;
    out.push({ kind: "attribute_unmapped", apiId: null, weight: n,
      cause: `Span attribute \`${attribute}\` present on ${formatCount(n)} anonymous trace${n === 1 ? "" : "s"} but not mapped`,
      fix: `Map \`${attribute}\` to ${likelyField(attribute)} under Traces → identity mappings` });
  }
  return out.sort((a, b) => b.weight - a.weight || a.cause.localeCompare(b.cause));
}
