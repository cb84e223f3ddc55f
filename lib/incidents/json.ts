// Database rows → the incident JSON the API and pages hand out.
import type { Incident, IncidentEvent, IncidentNote } from "@/lib/generated/prisma/client";
import { mayManageLink, type IncidentViewer } from "./access";
import { incidentJira, incidentSlack } from "./share-formats";
import { incidentMarkdown, type SummaryInput } from "./summary";
import type { FrozenEvidence, IncidentJson, IncidentListItem } from "./types";

export const incidentUrl = (baseUrl: string, slug: string) => `${baseUrl.replace(/\/+$/, "")}/incidents/${slug}`;

export function incidentJson(
  row: Incident & { notes: IncidentNote[]; events: IncidentEvent[] }, viewer: IncidentViewer, baseUrl: string,
): IncidentJson {
  const frozen = row.frozen as unknown as FrozenEvidence;
  const url = incidentUrl(baseUrl, row.slug);
  const window = { from: row.windowFrom.toISOString(), to: row.windowTo.toISOString() };
  return {
    id: row.id, slug: row.slug, url, title: row.title, severity: row.severity, status: row.status, visibility: row.visibility,
    owner: { id: row.ownerId, email: row.ownerEmail }, createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(),
    endpoint: { id: row.endpointId, label: row.endpointLabel }, window, summary: row.summary, frozen,
    notes: row.notes.map((n) => ({ id: n.id, author: n.author, body: n.body, createdAt: n.createdAt.toISOString() })),
    events: row.events.map((e) => ({ id: e.id, at: e.at.toISOString(), actor: e.actor, type: e.type, details: (e.details ?? {}) as Record<string, unknown> })),
    you: { canWrite: viewer.can("incidents:write"), canManageLink: mayManageLink(viewer, row) },
    ...shareTexts({
      title: row.title, severity: row.severity, status: row.status, url, ownerEmail: row.ownerEmail, endpointLabel: row.endpointLabel,
      apiName: frozen.investigation.endpoint.apiName, window, verdict: row.summary, suspects: frozen.investigation.suspects,
    }),
  };
}

/** The summary in each format the share panel copies. */
function shareTexts(i: SummaryInput): Pick<IncidentJson, "markdown" | "slack" | "jira"> {
  return { markdown: incidentMarkdown(i), slack: incidentSlack(i), jira: incidentJira(i) };
}

export function listItem(row: Incident): IncidentListItem {
  return {
    slug: row.slug, title: row.title, severity: row.severity, status: row.status, visibility: row.visibility, ownerEmail: row.ownerEmail,
    endpointLabel: row.endpointLabel, endpointId: row.endpointId, summary: row.summary, createdAt: row.createdAt.toISOString(),
    revoked: row.revokedAt !== null,
  };
}
