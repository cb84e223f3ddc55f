import type { Metadata } from "next";
import { SelectFilters } from "@/components/filters/select-filters";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { EndpointsTable } from "@/components/endpoints-list/endpoints-table";
import { StaleBanner } from "@/components/sync/stale-banner";
import { UnmatchedBanner } from "@/components/endpoints-list/unmatched-banner";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { unmatchedSummary } from "@/lib/endpoints/candidates";
import { environmentFilter } from "@/lib/environments/schema";
import { environmentChoices } from "@/lib/environments/load";
import { formatUtc } from "@/lib/format";
import { listEndpoints } from "@/lib/queries/endpoints";

export const metadata: Metadata = { title: "Endpoints" };
// The list is "the last 24 h as of now": never serve a cached render.
export const dynamic = "force-dynamic";

export default async function EndpointsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser("/endpoints");
  const env = environmentFilter.safeParse(await searchParams).data?.env;
  const { options: envOptions, apiIds } = await environmentChoices(db, env);
  const [list, unmatched] = await Promise.all([listEndpoints(db, { apiIds }), unmatchedSummary(db)]);
  const spiking = list.rows.filter((r) => r.spike).length;
  return (
    <>
      <PageHeader
        title="Endpoints"
        description={
          list.rows.length
            ? `Every endpoint behind your Tyk gateway, last 24 h to ${formatUtc(list.to)}. ${spiking ? `${spiking} with a latency spike, listed first.` : "No latency spikes."}`
            : "Every endpoint behind your Tyk gateway, with its latency and who touched it."
        }
      />
      {envOptions.length > 0 && (
        <SelectFilters current={env ? { env } : {}} specs={[{ name: "env", label: "Environment", options: [{ value: "", label: "All environments" }, ...envOptions.map((e) => ({ value: e, label: e }))] }]} />
      )}
      <StaleBanner kind="traces" />
      <UnmatchedBanner unmatched={unmatched} canReview={can(user.role, "settings:read")} />
      {list.rows.length === 0 && env ? (
        <EmptyState title={`No endpoints in ${env}`}>No API is filed under this environment: see Environments.</EmptyState>
      ) : list.rows.length === 0 ? (
        <EmptyState title="No endpoints yet">
          Connect your Tyk Dashboard (set <code>TYK_DASHBOARD_URL</code> and <code>TYK_DASHBOARD_API_KEY</code>) and a trace
          backend (<code>LIGHTSTEP_*</code>). Touchline syncs APIs, policies and keys, then latency per endpoint.
        </EmptyState>
      ) : (
        <EndpointsTable list={list} env={env} />
      )}
    </>
  );
}
