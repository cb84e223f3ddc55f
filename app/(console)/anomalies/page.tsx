import type { Metadata } from "next";
import Link from "next/link";
import { pickFilters } from "@/components/filters/filter-url";
import { SelectFilters } from "@/components/filters/select-filters";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, Td, Th } from "@/components/ui/table";
import { anomaliesPage, anomaliesQuery } from "@/lib/anomalies/page";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { formatCount, formatUtc } from "@/lib/format";

export const metadata: Metadata = { title: "Anomalies" };
export const dynamic = "force-dynamic";

const FILTERS = ["days", "metric", "type", "env", "endpoint"] as const;
const BASELINES = { seasonal: "hour of the week", daily: "hour of the day", level: "recent level" } as const;

export default async function AnomaliesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser("/anomalies");
  const current = pickFilters(await searchParams, FILTERS);
  const parsed = anomaliesQuery.safeParse(current);
  const data = await anomaliesPage(db, parsed.success ? parsed.data : anomaliesQuery.parse({}));
  return (
    <>
      <PageHeader
        title="Anomalies by user type"
        description="Each policy, identity kind (people, services, no identity), OAuth client and IdP group, per endpoint and hour, against its own history: volume, 5xx rate and p99. Found at every analytics sync; the running hour is re-judged until it is over. Ranked by impact: requests affected × how far off."
      />
      <SelectFilters
        current={current}
        specs={[
          { name: "days", label: "Window", options: [{ value: "1", label: "Last 24 h" }, { value: "", label: "Last 7 days" }, { value: "28", label: "Last 28 days" }] },
          { name: "metric", label: "Metric", options: [{ value: "", label: "Any" }, { value: "p99", label: "Latency (p99)" }, { value: "error_rate", label: "Errors" }, { value: "volume", label: "Volume" }] },
          { name: "type", label: "User type", options: [{ value: "", label: "Any" }, { value: "policy", label: "Policies" }, { value: "kind", label: "People / services" }, { value: "oauth", label: "OAuth clients" }, { value: "group", label: "IdP groups" }] },
          { name: "env", label: "Environment", options: [{ value: "", label: "All environments" }, ...data.environmentOptions.map((e) => ({ value: e, label: e }))] },
        ]}
      />
      {!parsed.success && <p role="alert" className="mb-4 text-sm text-amber-800 dark:text-amber-200">The link&apos;s filters are not valid; showing the last 7 days.</p>}
      {data.items.length === 0 ? (
        <EmptyState title="No anomalies">No user type behaved unlike its own history in this window.</EmptyState>
      ) : (
        <Table label="Anomalies">
          <thead><tr><Th>What</Th><Th>Hour (UTC)</Th><Th className="text-right">Requests</Th><Th>Against</Th><Th /></tr></thead>
          <tbody>
            {data.items.map((a) => (
              <tr key={a.id}>
                <Td>
                  <p className="font-medium">{a.current && <Badge tone="bad">now</Badge>} {a.text}</p>
                  <p className="text-xs text-slate-500">{a.apiName} · {a.typeLabel}</p>
                </Td>
                <Td className="whitespace-nowrap font-mono text-xs">{formatUtc(a.hour)}</Td>
                <Td className="text-right tabular-nums">{formatCount(a.requests)}</Td>
                <Td className="text-xs text-slate-500">{BASELINES[a.baselineKind as keyof typeof BASELINES] ?? a.baselineKind}</Td>
                <Td><Link href={a.investigateHref} className="text-sm font-medium text-brand-700 hover:underline dark:text-blue-300">Investigate</Link></Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {data.total > data.items.length && <p className="mt-3 text-xs text-slate-500">Showing the {data.items.length} with the most impact of {formatCount(data.total)}.</p>}
    </>
  );
}
