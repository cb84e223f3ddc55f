import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { Forbidden } from "@/components/ui/forbidden";
import { FilterForm, type FilterSpec } from "@/components/filters/filter-form";
import { pickFilters, toQuery } from "@/components/filters/filter-url";
import { requirePermission } from "@/lib/auth/session";
import { CallsClient } from "./calls-client";

export const metadata: Metadata = { title: "Call trail" };

const FILTERS: FilterSpec[] = [
  { name: "identity", label: "Identity", placeholder: "alice@acme.test" },
  { name: "key", label: "Key", placeholder: "alias, e.g. globex-batch" },
  { name: "endpoint", label: "Endpoint", placeholder: "GET /orders or /payments" },
  { name: "status", label: "Status", placeholder: "503 or 5xx" },
  { name: "from", label: "From", kind: "time" },
  { name: "to", label: "To", kind: "time" },
];

const linkClass =
  "rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50 focus:outline-none focus:ring-2 focus:ring-brand-600/40 dark:border-slate-700 dark:hover:bg-slate-800";

export default async function CallsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { user, allowed } = await requirePermission("/calls", "calls:read");
  if (!allowed) return <Forbidden role={user.role} what="The call trail" />;
  const filters = pickFilters(await searchParams, FILTERS.map((f) => f.name));
  const q = toQuery(filters);
  return (
    <>
      <PageHeader
        title="Call trail"
        description="Every request the gateway recorded, by identity, key, endpoint, status and time — the evidence an auditor asks for. Exports are audited."
        actions={
          <>
            <a className={linkClass} href={`/api/calls/export${toQuery(filters, { format: "csv" })}`} download>Export CSV</a>
            <a className={linkClass} href={`/api/calls/export${toQuery(filters, { format: "json" })}`} download>Export JSON</a>
          </>
        }
      />
      <FilterForm key={q} basePath="/calls" specs={FILTERS} current={filters} />
      <CallsClient key={`list${q}`} filters={filters} />
    </>
  );
}
