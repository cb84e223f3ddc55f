// JSON shapes of incidents as the API and pages hand them out (client-safe).
import type { InvestigationJson } from "@/lib/investigation/result";
import type { SeriesView, TraceUiRef } from "@/lib/queries/endpoint-page-types";

/** A policy or key version the frozen investigation refers to, copied at freeze time. */
export interface FrozenVersion {
  kind: "policy" | "key";
  targetId: string;
  label: string;
  version: number;
  observedAt: string;
  snapshot: unknown;
  diff: unknown;
  /** The access change that produced this version, when it is one. */
  changeId: string | null;
}

/** Everything an incident page shows about the evidence; written once, never updated. */
export interface FrozenEvidence {
  format: 1;
  frozenAt: string;
  investigation: InvestigationJson;
  context: SeriesView;
  traceUi: TraceUiRef;
  versions: FrozenVersion[];
}

export interface IncidentNoteJson { id: string; author: string; body: string; createdAt: string }
export interface IncidentEventJson { id: string; at: string; actor: string; type: string; details: Record<string, unknown> }

export interface IncidentJson {
  id: string;
  slug: string;
  url: string;
  title: string;
  severity: string;
  status: string;
  visibility: string;
  owner: { id: string | null; email: string | null };
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  endpoint: { id: string; label: string };
  window: { from: string; to: string };
  summary: string;
  frozen: FrozenEvidence;
  notes: IncidentNoteJson[];
  events: IncidentEventJson[];
  /** What the caller may do, so the page shows only the buttons that work. */
  you: { canWrite: boolean; canManageLink: boolean };
  markdown: string;
  /** The same summary as Slack mrkdwn and as Jira wiki markup (share-formats.ts). */
  slack: string;
  jira: string;
}

export interface IncidentListItem {
  slug: string;
  /** null (like summary and ownerEmail) for a revoked incident the viewer could not re-share. */
  title: string | null;
  severity: string;
  status: string;
  visibility: string;
  ownerEmail: string | null;
  endpointLabel: string;
  endpointId: string;
  summary: string | null;
  createdAt: string;
  revoked: boolean;
}

export interface OwnerOption { id: string; email: string | null; name: string | null; role: string }
