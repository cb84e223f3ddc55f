import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { formatCount, formatMs, formatPercent, formatUtc } from "@/lib/format";
import type { EndpointList } from "@/lib/queries/endpoints";
import { Sparkline } from "./sparkline";

const SOURCE_LABEL = { latency_points: "from traces", request_records: "from gateway logs", none: "no data" } as const;

/** The Endpoints list: one row per endpoint, spiking ones first (order comes from the query); `env`, the list's environment filter, goes along to each investigation. */
export function EndpointsTable({ list, env }: { list: EndpointList; env?: string }) {
  const search = env ? `?${new URLSearchParams({ env })}` : "";
  return (
    <Table label="Endpoints">
      <thead>
        <tr>
          <Th>Endpoint</Th>
          <Th>Trace operation</Th>
          <Th>p99, last 24 h</Th>
          <Th className="text-right">p99 now</Th>
          <Th className="text-right">Requests / 24 h</Th>
          <Th className="text-right">Errors</Th>
          <Th>Status</Th>
          <Th>Trace</Th>
        </tr>
      </thead>
      <tbody>
        {list.rows.map((r) => {
          const name = `${r.method} ${r.path}`;
          return (
            <tr key={r.id} data-testid="endpoint-row" data-endpoint={name} className="hover:bg-slate-50 dark:hover:bg-slate-800/40">
              <Td>
                <Link href={`/endpoints/${r.id}${search}`} className="font-medium text-slate-900 hover:underline dark:text-slate-100">
                  <span className="mr-1.5 font-mono text-xs text-slate-500 dark:text-slate-400">{r.method}</span>
                  <span className="font-mono">{r.path}</span>
                </Link>
                <div className="text-xs text-slate-500 dark:text-slate-400">{r.apiName}</div>
              </Td>
              <Td>
                {r.operation ? (
                  <span className="font-mono text-xs">
                    {r.operation}
                    {r.mappingSource === "manual" && (
                      <span className="ml-1.5">
                        <Badge title="Mapped by hand in Settings → Endpoint mapping">manual</Badge>
                      </span>
                    )}
                  </span>
                ) : (
                  <Badge tone="warn" title="No trace operation: latency comes from gateway logs only">unmapped</Badge>
                )}
              </Td>
              <Td>
                <Sparkline values={r.spark} from={list.from} to={list.to} spike={r.spike} label={`p99 of ${name} over the last 24 hours, ${SOURCE_LABEL[r.source]}`} />
              </Td>
              <Td className="text-right font-mono text-xs tabular-nums">{formatMs(r.currentP99)}</Td>
              <Td className="text-right font-mono text-xs tabular-nums">{formatCount(r.requests)}</Td>
              <Td className="text-right font-mono text-xs tabular-nums">{formatPercent(r.errorRate, 1)}</Td>
              <Td>
                {r.spike ? (
                  <span data-testid="spike-badge">
                    <Badge
                      tone="bad"
                      title={`p99 rose from ~${formatMs(r.spike.baselineMs)} to a peak of ${formatMs(r.spike.peakMs)} from ${formatUtc(r.spike.start)}${r.spike.end ? "" : " (ongoing)"}`}
                    >
                      spike ×{r.spike.magnitude.toFixed(1)}
                    </Badge>
                  </span>
                ) : r.source === "none" ? (
                  <span className="text-xs text-slate-500">—</span>
                ) : (
                  <Badge tone="good">steady</Badge>
                )}
              </Td>
              <Td>
                {r.slowTrace ? (
                  <Link
                    href={`/traces/${encodeURIComponent(r.slowTrace.traceId || r.slowTrace.spanId)}`}
                    className="whitespace-nowrap text-xs font-medium text-brand-700 hover:underline dark:text-blue-300"
                    aria-label={`Latest slow trace of ${name}: ${formatMs(r.slowTrace.durationMs)}`}
                  >
                    latest slow trace · {formatMs(r.slowTrace.durationMs)}
                  </Link>
                ) : (
                  <span className="text-xs text-slate-500">—</span>
                )}
              </Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
