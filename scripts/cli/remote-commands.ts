// CLI commands that go through the console API with a token.
import type { Command } from "./args";
import { apiCall, ApiCallError, resolveEndpoint } from "./http";
import { formatInvestigation, formatTable, formatTime, type InvestigationSummary } from "./format";

type Out = (text: string) => void;

/** An incident as GET /api/incidents lists it (lib/incidents/types.ts IncidentListItem). */
interface IncidentRow {
  slug: string;
  title: string;
  severity: string;
  status: string;
  endpointLabel: string;
  ownerEmail: string | null;
  createdAt: string;
  revoked: boolean;
}

function incidentsMissing(err: unknown): never {
  if (err instanceof ApiCallError && err.status === 404) {
    throw new ApiCallError(404, "this Touchline server has no incidents API yet (404 on /api/incidents); upgrade the server");
  }
  throw err;
}

export async function runRemote(c: Extract<Command, { remote: unknown }>, out: Out): Promise<void> {
  switch (c.cmd) {
    case "investigate": {
      const ep = await resolveEndpoint(c.remote, c.endpoint);
      const qs = c.from && c.to ? `?from=${encodeURIComponent(c.from)}&to=${encodeURIComponent(c.to)}` : "";
      const inv = await apiCall<InvestigationSummary>(c.remote, "GET", `/api/endpoints/${encodeURIComponent(ep.id)}/investigation${qs}`);
      out(c.json ? JSON.stringify(inv, null, 2) : formatInvestigation(inv));
      return;
    }
    case "incidents.list": {
      const { incidents } = await apiCall<{ incidents: IncidentRow[] }>(c.remote, "GET", "/api/incidents").catch(incidentsMissing);
      if (c.json) return out(JSON.stringify(incidents, null, 2));
      out(incidents.length ? formatTable(incidents, [
        { header: "slug", value: (i) => i.slug },
        { header: "severity", value: (i) => i.severity },
        { header: "status", value: (i) => (i.revoked ? "revoked" : i.status) },
        { header: "endpoint", value: (i) => i.endpointLabel },
        { header: "title", value: (i) => i.title },
        { header: "owner", value: (i) => i.ownerEmail },
        { header: "created", value: (i) => formatTime(i.createdAt) },
      ]) : "No incidents.");
      return;
    }
    case "incidents.create": {
      const ep = await resolveEndpoint(c.remote, c.endpoint);
      const created = await apiCall<{ slug: string; url: string }>(c.remote, "POST", "/api/incidents", {
        endpointId: ep.id, from: c.from, to: c.to, title: c.title, severity: c.severity,
      }).catch(incidentsMissing);
      out(c.json ? JSON.stringify(created, null, 2) : `created incident ${created.slug}: ${c.title}\n${created.url}`);
      return;
    }
  }
}
