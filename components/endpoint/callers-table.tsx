import Link from "next/link";
import { Table, Td, Th } from "@/components/ui/table";
import { formatCount, formatMs, formatPercent } from "@/lib/format";
import type { CallerJson } from "@/lib/investigation/result";

/** Callers by identity (keys without one on their own) during the analysed spike, busiest first. */
export function CallersTable({ callers }: { callers: CallerJson[] }) {
  if (!callers.length) return <p className="text-sm text-slate-500 dark:text-slate-400">No caller traffic in the analysed window.</p>;
  return (
    <Table label="Callers by identity">
      <thead>
        <tr>
          <Th>Caller</Th>
          <Th className="text-right">Requests before</Th>
          <Th className="text-right">Requests during</Th>
          <Th className="text-right">p99 before</Th>
          <Th className="text-right">p99 during</Th>
          <Th className="text-right">Share of requests</Th>
        </tr>
      </thead>
      <tbody className="tabular-nums">
        {callers.map((c) => (
          <tr key={`${c.kind}:${c.id}`}>
            <Td>
              {c.kind === "key" ? (
                <Link className="text-brand-600 underline dark:text-blue-300" href={`/keys/${encodeURIComponent(c.id)}`}>{c.label}</Link>
              ) : (
                <span className="font-medium">{c.label}</span>
              )}
              {c.identity && (c.identity.email || c.identity.kind !== "unknown") && (
                <span className="ml-2 text-xs text-slate-500 dark:text-slate-400">{c.identity.email ?? c.identity.kind}</span>
              )}
            </Td>
            <Td className="text-right">{formatCount(c.requestsBefore)}</Td>
            <Td className="text-right">{formatCount(c.requests)}</Td>
            <Td className="text-right">{formatMs(c.p99Before)}</Td>
            <Td className="text-right">{formatMs(c.p99)}</Td>
            <Td className="text-right">{formatPercent(c.share, 1)}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
