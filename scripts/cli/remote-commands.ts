// CLI commands that go through the console API with a token.
import type { Command } from "./args";
import { apiCall, ApiCallError, resolveEndpoint } from "./http";
import { formatInvestigation, formatTable, formatTime, type InvestigationSummary } from "./format";

type Out = (text: string) => void;

interface Incident {
  id: string;
  title: string;
  severity?: string;
  status?: string;
  endpointId?: string;
  endpoint?: { method: string; path: string } | null;
  createdAt?: string;
  createdBy?: string | null;
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
      const body = await apiCall<{ incidents: Incident[] } | Incident[]>(c.remote, "GET", "/api/incidents").catch(incidentsMissing);
      const incidents = Array.isArray(body) ? body : body.incidents;
      if (c.json) return out(JSON.stringify(incidents, null, 2));
      out(incidents.length ? formatTable(incidents, [
        { header: "id", value: (i) => i.id },
        { header: "severity", value: (i) => i.severity },
        { header: "status", value: (i) => i.status },
        { header: "title", value: (i) => i.title },
        { header: "endpoint", value: (i) => (i.endpoint ? `${i.endpoint.method} ${i.endpoint.path}` : i.endpointId) },
        { header: "created", value: (i) => formatTime(i.createdAt) },
      ]) : "No incidents.");
      return;
    }
    case "incidents.create": {
      const ep = await resolveEndpoint(c.remote, c.endpoint);
      const body = await apiCall<{ incident?: Incident } & Partial<Incident>>(c.remote, "POST", "/api/incidents", {
        endpointId: ep.id, from: c.from, to: c.to, title: c.title, severity: c.severity,
      }).catch(incidentsMissing);
      const incident = body.incident ?? (body as Incident);
      out(c.json ? JSON.stringify(incident, null, 2) : `created incident ${incident.id}: ${incident.title ?? c.title}`);
      return;
    }
  }
}
