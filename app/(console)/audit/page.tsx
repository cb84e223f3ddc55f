import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { Forbidden } from "@/components/ui/forbidden";
import { ZoneToggle } from "@/components/ui/time";
import { FilterForm, type FilterSpec } from "@/components/filters/filter-form";
import { pickFilters, toQuery } from "@/components/filters/filter-url";
import { requirePermission } from "@/lib/auth/session";
import { AuditClient } from "./audit-client";

export const metadata: Metadata = { title: "Audit" };

const FILTERS: FilterSpec[] = [
  { name: "actor", label: "Actor", placeholder: "email, token id, system" },
  { name: "action", label: "Action", placeholder: "token.create or token." },
  { name: "target", label: "Target", placeholder: "api_token or api_token:id" },
  { name: "from", label: "From", kind: "time" },
  { name: "to", label: "To", kind: "time" },
];

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { user, allowed } = await requirePermission("/audit", "audit:read");
  if (!allowed) return <Forbidden role={user.role} what="The audit trail" />;
  const filters = pickFilters(await searchParams, FILTERS.map((f) => f.name));
  const q = toQuery(filters);
  return (
    <>
      <PageHeader
        title="Audit trail"
        description="Every console write, incident view, sign-in, token change and sync start — append-only and hash-chained, so an edited or deleted row shows up in `npm run audit:verify`."
        actions={
          <>
            <ZoneToggle />
            <a className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50 focus:outline-none focus:ring-2 focus:ring-brand-600/40 dark:border-slate-700 dark:hover:bg-slate-800" href={`/api/audit-events/export${toQuery(filters, { format: "csv" })}`} download>
              Export CSV
            </a>
            <a className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50 focus:outline-none focus:ring-2 focus:ring-brand-600/40 dark:border-slate-700 dark:hover:bg-slate-800" href={`/api/audit-events/export${toQuery(filters, { format: "json" })}`} download>
              Export JSON
            </a>
          </>
        }
      />
      <FilterForm key={q} basePath="/audit" specs={FILTERS} current={filters} />
      <AuditClient key={`list${q}`} filters={filters} />
    </>
  );
}
