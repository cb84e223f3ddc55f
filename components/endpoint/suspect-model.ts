// Pure helpers that turn the investigation JSON into what the "Who touched it" panel and the
// evidence drawer show: grouped suspects, plain-language readings, bar geometry and links.
import { groupByCause, type CauseGroup } from "@/lib/analysis/cause-groups";
import { ANOMALY_METRIC, times, typeChange } from "@/lib/analysis/cause-text";
import type { SuspectJson, InvestigationJson } from "@/lib/investigation/result";
import type { ChangeMarker, TraceUiRef } from "@/lib/queries/endpoint-page-types";

/** One cause: its lead suspect and the same requests seen through other groupings (the key a change let in, its identity, its policy). */
export type SuspectRow = CauseGroup<SuspectJson>;

/**
 * Groups a ranked list into causes (lib/analysis/cause-groups): a change with the keys it let in
 * and their identity, or callers covering the very same requests — one culprit, not three.
 */
export function groupSuspects(list: SuspectJson[]): SuspectRow[] {
  return groupByCause(list);
}

/** "Access change partner-gold → key globex-batch → identity globex-batch": a cause's chain, each name once. */
export function chainText(row: SuspectRow): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const s of [row.lead, ...row.also]) {
    if (seen.has(s.label)) continue; // the key's identity or policy of the same name adds nothing
    seen.add(s.label);
    parts.push(`${(KIND_LABEL[s.kind] ?? s.kind).toLowerCase()} ${s.label}`);
  }
  const all = parts.join(" → ");
  return `${all.charAt(0).toUpperCase()}${all.slice(1)}`;
}

/** The sentence the engine wrote for why a change is linked to the traffic (enables.detail, else a key's enabledBy.detail). */
export function linkDetail(row: SuspectRow): string | null {
  for (const s of [row.lead, ...row.also]) {
    if (s.evidence.enables?.detail) return s.evidence.enables.detail;
    const d = s.evidence.enabledBy?.find((e) => e.detail)?.detail;
    if (d) return d;
  }
  return null;
}

export const KIND_LABEL: Record<string, string> = {
  access_change: "Access change",
  deploy: "Deploy",
  key: "Key",
  identity: "Identity",
  policy: "Policy",
  oauth_client: "OAuth client",
  api: "API definition",
  user_type: "User type",
};

/** A user type suspect's line: "Callers of type Policy partner-gold got ×4 slower — p99 anomaly ×3.8 its baseline". */
export function typeText(s: SuspectJson): string | null {
  if (s.kind !== "user_type") return null;
  const a = s.evidence.anomaly;
  const flagged = a ? ` — ${ANOMALY_METRIC[a.metric] ?? a.metric} anomaly${a.factor != null ? ` ${times(a.factor)} its baseline` : ""}` : "";
  return `Callers of type ${s.label} ${typeChange(s)}${flagged}`;
}

export const MECHANISM_TEXT: Record<SuspectJson["mechanism"], string> = {
  own_latency: "its own requests got slower",
  volume: "it sent many more requests",
  noisy_neighbour: "its load slowed everyone else (noisy neighbour)",
  enabled_traffic: "it let in the traffic that caused the spike",
  slowdown_after_change: "callers alike slowed right after it",
};

/** The "why" line: a claim for a suspect, a tested-and-rejected hypothesis for the rest. */
export function reasonText(s: Pick<SuspectJson, "mechanism" | "significant">): string {
  const text = MECHANISM_TEXT[s.mechanism];
  return s.significant ? `Why: ${text}` : `Checked whether ${text} — the data does not support it`;
}

export function readingText(reading: InvestigationJson["verdict"]["reading"]): string | null {
  switch (reading) {
    case "mix": return "Mix shift: usual callers are not slower — the traffic mix changed.";
    case "slowdown": return "Slowdown: callers alike got slower — look at the backend or an API change.";
    case "mixed": return "Both: the traffic mix changed and callers also got slower.";
    default: return null;
  }
}

/** Horizontal positions (percent of the bar's width) of a share's point and 90% interval, clamped to [0, 100]. */
export function shareGeometry(share: SuspectJson["share"]): { point: number; lo: number; hi: number } {
  const pct = (x: number) => Math.min(100, Math.max(0, x * 100));
  const lo = pct(Math.min(share.lo, share.hi));
  const hi = pct(Math.max(share.lo, share.hi));
  return { point: pct(share.point), lo, hi };
}

export interface ConsoleLink {
  href: string;
  label: string;
}

/** The console page of what a suspect names: the policy's history, the key's page, a change's target. */
export function suspectLinks(s: SuspectJson, targets: Map<string, ChangeMarker>): ConsoleLink[] {
  switch (s.kind) {
    case "policy": return [{ href: `/policies/${encodeURIComponent(s.id)}`, label: `Policy ${s.label}` }];
    case "key": return [{ href: `/keys/${encodeURIComponent(s.id)}`, label: `Key ${s.label}` }];
    case "access_change": {
      const target = targetOf(s, targets);
      return target ? [target] : [];
    }
    default: return [];
  }
}

function targetOf(s: SuspectJson, targets: Map<string, ChangeMarker>): ConsoleLink | null {
  const fromJson = (s as SuspectJson & { targetId?: string; targetKind?: string });
  const m = targets.get(s.id);
  const targetId = fromJson.targetId ?? m?.targetId ?? null;
  const kind = fromJson.targetKind ?? m?.kind ?? null;
  if (!targetId || !kind) return null;
  return changeTargetLink(kind, targetId, s.label);
}

/** Where a change's target lives in the console. */
export function changeTargetLink(kind: string, targetId: string, label: string): ConsoleLink | null {
  switch (kind) {
    case "policy": return { href: `/policies/${encodeURIComponent(targetId)}`, label: `Policy ${label} — history and diff` };
    case "key": return { href: `/keys/${encodeURIComponent(targetId)}`, label: `Key ${label} — history` };
    case "api": return { href: "/apis", label: `API ${label} — definitions` };
    default: return null;
  }
}

/** The trace backend's own page for an exemplar, when we hold one of its spans. */
export function externalTraceUrl(traceId: string, ui: TraceUiRef): string | null {
  const span = ui.spans[traceId];
  return ui.base && span ? `${ui.base}/trace?span_guid=${encodeURIComponent(span)}` : null;
}

/** "2026-11-26 02:36 UTC (audit log)" vs an upper bound when only a sync noticed it. */
export function timeSourceText(source: SuspectJson["timeSource"] | ChangeMarker["timeSource"]): string {
  if (source === "audit") return "time from Tyk's audit log";
  if (source === "first_seen") return "first seen by a sync — the change happened at or before this time (no audit log)";
  if (source === "trace") return "time from the trace backend: the first span of the new service.version";
  return "";
}

/** "updated", "rotated", "deployed": an action in the past tense. */
export function actionText(action: string): string {
  return action.endsWith("e") ? `${action}d` : `${action}ed`;
}

/** Who made a change, as the chart and the drawer say it. */
export function actorText(kind: string, actor: string | null): string {
  if (kind === "deploy") return "a new version seen in the trace backend";
  return actor ?? "unknown (no audit log entry)";
}

/** Where the console learnt who is behind a key: its Dashboard entry, or only Tyk Pump's records. */
export function identitySourceText(source: string | undefined): string | null {
  return source === "pump_alias" ? "identity from the alias in Tyk Pump's records (the Dashboard does not list this key)" : null;
}

/**
 * Access changes made to what a caller suspect runs under — its key, its policy (when the same
 * requests were also ranked as that policy), or a change the engine says enabled it — up to `until`.
 * A responder asks "who touched this key?" next; the answer should be one glance away.
 */
export function relatedChanges(row: SuspectRow, markers: ChangeMarker[], until: number): ChangeMarker[] {
  const group = [row.lead, ...row.also];
  const targets = new Set(group.filter((s) => s.kind === "key" || s.kind === "policy" || s.kind === "oauth_client").map((s) => s.id));
  const enabling = new Set(group.flatMap((s) => s.evidence.enabledBy?.map((e) => e.changeId) ?? []));
  return markers
    .filter((m) => m.at <= until && (enabling.has(m.id) || (m.targetId != null && targets.has(m.targetId))))
    .filter((m) => !(row.lead.kind === "access_change" && m.id === row.lead.id))
    .sort((a, b) => b.at - a.at);
}

/** A q-value as shown to people: tiny ones as "<0.001". */
export function formatQ(q: number): string {
  return q < 0.001 ? "<0.001" : q.toFixed(3);
}
