// Shapes the endpoint page's server loader hands to its client island (JSON-safe, no server imports,
// so client components can import these types).
import type { LatencyPoint } from "@/lib/analysis";

/** One access change, or a deploy of the endpoint's upstream (kind "deploy"), drawn on the chart. */
export interface ChangeMarker {
  id: string;
  at: number;
  kind: string;
  action: string;
  label: string;
  /** The policy id, key hash, API id or OAuth client id the change was made to (links to its page). */
  targetId: string | null;
  actor: string | null;
  timeSource: "audit" | "first_seen" | "trace" | null;
  diff: { path: string; before: unknown; after: unknown }[];
}

/** The chart's context: a wider range than the analysed window, so the brush has room to move. */
export interface SeriesView {
  from: number;
  to: number;
  source: string;
  points: LatencyPoint[];
  markers: ChangeMarker[];
  /** Access changes of the range that cannot reach this endpoint: listed under the chart, not drawn (absent in incidents frozen earlier). */
  elsewhere?: { count: number; changes: ChangeMarker[] };
}

/** How to deep-link an exemplar into the trace backend's own UI. */
export interface TraceUiRef {
  /** TRACE_UI_URL + project, e.g. https://app.lightstep.com/production */
  base: string | null;
  /** trace id → a span id of that trace we hold as an exemplar. */
  spans: Record<string, string>;
}
