import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Forbidden } from "@/components/ui/forbidden";
import { PageHeader } from "@/components/ui/page-header";
import { Table, Td, Th } from "@/components/ui/table";
import { IncidentFilters } from "@/components/incidents/incident-filters";
import { SEVERITY_TONE, STATUS_TONE } from "@/components/incidents/status-control";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { formatRelative, formatUtc } from "@/lib/format";
import { listIncidentsQuery } from "@/lib/incidents/schema";
import { listIncidents } from "@/lib/incidents/service";
import { environmentChoices } from "@/lib/environments/load";
import { viewerOf } from "@/lib/incidents/viewer";

export const metadata: Metadata = { title: "Incidents" };

type SearchParams = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;

export default async function IncidentsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser("/incidents");
  if (!can(user.role, "incidents:read")) return <Forbidden role={user.role} what="Incidents" />;
  const sp = await searchParams;
  const raw = { status: one(sp.status), severity: one(sp.severity), owner: one(sp.owner), q: one(sp.q), env: one(sp.env) };
  const parsed = listIncidentsQuery.safeParse(raw);
  const query = parsed.success ? parsed.data : listIncidentsQuery.parse({});
  const [incidents, environments] = await Promise.all([listIncidents(db, query, viewerOf(user)), environmentChoices(db, undefined)]);
  const filtered = Object.values(raw).some(Boolean);
  return (
    <>
      <PageHeader title="Incidents" description="Frozen investigations you can share with an SSO-gated link. Create one from an endpoint's page." />
      <IncidentFilters current={raw} environments={environments.options} />
      {!parsed.success && <p role="alert" className="mb-4 text-sm text-amber-800 dark:text-amber-200">Some filters were not valid and were ignored.</p>}
      {incidents.length === 0 ? (
        filtered ? (
          <EmptyState title="No incidents match">Clear a filter or two.</EmptyState>
        ) : (
          <EmptyState title="No incidents yet">Open an endpoint with a latency spike and choose Create incident to freeze its evidence here.</EmptyState>
        )
      ) : (
        <Table label="Incidents">
          <thead>
            <tr><Th>Incident</Th><Th>Severity</Th><Th>Status</Th><Th>Endpoint</Th><Th>Owner</Th><Th>Created</Th></tr>
          </thead>
          <tbody>
            {incidents.map((i) => (
              <tr key={i.slug} data-testid="incident-row">
                <Td>
                  {i.title === null ? (
                    <span className="font-medium italic text-slate-500 dark:text-slate-400">Revoked incident</span>
                  ) : i.revoked ? (
                    <span className="font-medium">{i.title}</span>
                  ) : (
                    <Link className="font-medium text-brand-700 hover:underline dark:text-blue-300" href={`/incidents/${i.slug}`}>{i.title}</Link>
                  )}
                  {i.summary !== null && <span className="mt-0.5 block max-w-md truncate text-xs text-slate-500 dark:text-slate-400" title={i.summary}>{i.summary}</span>}
                  {i.revoked && <Badge tone="neutral">link revoked</Badge>}
                  {i.visibility === "responders" && <Badge tone="info">responders only</Badge>}
                </Td>
                <Td><Badge tone={SEVERITY_TONE[i.severity]}>{i.severity.toUpperCase()}</Badge></Td>
                <Td><Badge tone={STATUS_TONE[i.status]}>{i.status}</Badge></Td>
                <Td className="font-mono text-xs">{i.endpointLabel}</Td>
                <Td className="text-xs">{i.ownerEmail ?? "—"}</Td>
                <Td className="whitespace-nowrap text-xs"><span title={formatUtc(i.createdAt)}>{formatRelative(i.createdAt)}</span></Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
