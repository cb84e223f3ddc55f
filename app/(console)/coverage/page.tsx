import type { Metadata } from "next";
import Link from "next/link";
import { pickFilters } from "@/components/filters/filter-url";
import { SelectFilters } from "@/components/filters/select-filters";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, Td, Th } from "@/components/ui/table";
import { requireUser } from "@/lib/auth/session";
import { coveragePage, coverageQuery, MAX_COVERAGE_DAYS } from "@/lib/coverage/page";
import type { Covered } from "@/lib/coverage/summarise";
import { db } from "@/lib/db";
import { formatCount, formatPercent } from "@/lib/format";

export const metadata: Metadata = { title: "Coverage" };
export const dynamic = "force-dynamic";

const FILTERS = ["days", "api", "env"] as const;
const DAY_CHOICES = [1, 3, 7, MAX_COVERAGE_DAYS];

function Share({ value, warnBelow, warnAbove }: { value: number | null; warnBelow?: number; warnAbove?: number }) {
  if (value === null) return <span className="text-slate-500 dark:text-slate-400">—</span>;
  const bad = (warnBelow !== undefined && value < warnBelow) || (warnAbove !== undefined && value > warnAbove);
  return <span className={bad ? "font-medium text-amber-700 dark:text-amber-300" : ""}>{formatPercent(value)}</span>;
}

function Figures({ c }: { c: Covered }) {
  return (
    <>
      <Td className="text-right tabular-nums">{formatCount(c.requests)}</Td>
      <Td className="text-right tabular-nums"><Share value={c.shares.traceId} warnBelow={0.9} /></Td>
      <Td className="text-right tabular-nums"><Share value={c.shares.held} warnBelow={0.8} /></Td>
      <Td className="text-right tabular-nums"><Share value={c.shares.identified} warnBelow={0.9} /> <span className="text-xs text-slate-500 dark:text-slate-400">of {formatCount(c.exemplars)}</span></Td>
      <Td className="text-right tabular-nums"><Share value={c.shares.noIdentity} warnAbove={0} /></Td>
    </>
  );
}

const HEAD = (
  <>
    <Th className="text-right">Requests</Th>
    <Th className="text-right">With trace id</Th>
    <Th className="text-right">Trace held (est.)</Th>
    <Th className="text-right">Traces identified</Th>
    <Th className="text-right">No identity</Th>
  </>
);

export default async function CoveragePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser("/coverage");
  const current = pickFilters(await searchParams, FILTERS);
  const parsed = coverageQuery.safeParse(current);
  const q = parsed.success ? parsed.data : coverageQuery.parse({});
  const data = await coveragePage(db, q);
  return (
    <>
      <PageHeader
        title="Identity and trace coverage"
        description="Per API and endpoint: how many gateway requests carry a trace id, how many of those the trace backend holds, how many sampled traces map to a known identity, and how many requests have no identity at all — with the likely cause of each gap."
      />
      <SelectFilters
        current={current}
        specs={[
          { name: "days", label: "Window", options: DAY_CHOICES.map((d) => ({ value: d === 7 ? "" : String(d), label: d === 1 ? "Today (UTC)" : `Last ${d} days` })) },
          { name: "env", label: "Environment", options: [{ value: "", label: "All environments" }, ...data.environmentOptions.map((e) => ({ value: e, label: e }))] },
          { name: "api", label: "API", options: [{ value: "", label: "All APIs" }, ...data.apiOptions.map((a) => ({ value: a.id, label: a.name }))] },
        ]}
      />
      {!data.apis.length ? (
        <EmptyState title="No requests in this window">Coverage is measured on the gateway&apos;s requests: run the analytics sync, or widen the window.</EmptyState>
      ) : (
        <div className="flex flex-col gap-6">
          <Card title={`Gaps (${data.gaps.length})`}>
            {data.gaps.length ? (
              <ul aria-label="Coverage gaps" className="flex flex-col gap-3">
                {data.gaps.map((g) => (
                  <li key={`${g.kind} ${g.apiId ?? ""} ${g.cause}`} className="text-sm">
                    <p className="font-medium">{g.cause}</p>
                    <p className="text-slate-500 dark:text-slate-400">Fix: {g.fix}</p>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-500">None: every API traces, every trace maps to an identity.</p>
            )}
            {!data.traceBackend && <p className="mt-3 text-xs text-slate-500">The trace backend reported no spans for this window, so “trace held” is unknown.</p>}
          </Card>
          <Table label="Coverage by API and endpoint">
            <thead><tr><Th>API / endpoint</Th>{HEAD}</tr></thead>
            <tbody>
              {data.apis.flatMap((api) => [
                <tr key={api.id} className="bg-slate-50 dark:bg-slate-800/40">
                  <Td className="font-semibold">{api.name}</Td>
                  <Figures c={api} />
                </tr>,
                ...api.endpoints.map((e) => (
                  <tr key={e.id}>
                    <Td className="pl-8"><Link href={`/endpoints/${e.id}`} className="font-mono text-xs text-brand-700 hover:underline dark:text-blue-300">{e.method} {e.path}</Link></Td>
                    <Figures c={e} />
                  </tr>
                )),
              ])}
            </tbody>
          </Table>
          <Table label="Coverage by day">
            <thead><tr><Th>Day (UTC)</Th>{HEAD}</tr></thead>
            <tbody>
              {data.days.map((d) => (
                <tr key={d.day}>
                  <Td className="font-mono text-xs">{new Date(d.day).toISOString().slice(0, 10)}</Td>
                  <Figures c={d} />
                </tr>
              ))}
            </tbody>
          </Table>
          <p className="text-xs text-slate-500" data-testid="held-note">
            “Trace held” is an estimate by count: the trace backend&apos;s span count against the gateway&apos;s traced requests. It cannot be
            checked trace by trace, because the backend&apos;s API finds a stored trace by span id only and the gateway&apos;s records carry the
            trace id without one. Of the sampled traces stored here, {formatPercent(data.total.shares.correlated)} were also found by trace id
            in the gateway&apos;s records.
          </p>
        </div>
      )}
    </>
  );
}
