import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { formatUtc } from "@/lib/format";
import type { PreviewRow } from "@/lib/queries/traces-preview";

/** Recent spans and what the draft rules map them to; unmapped rows are shown, never dropped. */
export function IdentityPreviewTable({ rows, loading, error, refreshing }: { rows?: PreviewRow[]; loading: boolean; error: string | null; refreshing: boolean }) {
  if (error) return <p role="alert" className="text-sm text-red-700 dark:text-red-300">Preview failed: {error}</p>;
  if (loading && !rows) return <p role="status" className="text-sm text-slate-500">Loading recent spans…</p>;
  if (!rows?.length) return <p className="text-sm text-slate-500">No stored spans yet: the preview fills in after the first trace sync.</p>;
  const unmapped = rows.filter((r) => !r.mapped).length;
  return (
    <div aria-busy={refreshing}>
      <p className="mb-2 text-xs text-slate-500" aria-live="polite">
        {rows.length} latest spans · {unmapped} unmapped{refreshing ? " · updating…" : ""}
      </p>
      <Table label="Identity preview">
        <thead>
          <tr>
            <Th>Span</Th>
            <Th>Matched attributes</Th>
            <Th>Maps to</Th>
            <Th>Known identity</Th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.spanId} data-testid="preview-row" data-mapped={r.mapped}>
              <Td>
                <div className="font-mono text-xs">{r.endpoint}</div>
                <div className="text-[11px] text-slate-500">{formatUtc(r.ts)}</div>
              </Td>
              <Td className="font-mono text-[11px]">
                {r.matched.length ? r.matched.map((m) => <div key={m.attribute}>{m.attribute} = {m.value}</div>) : <span className="text-slate-500">none</span>}
              </Td>
              <Td className="text-xs">
                {r.mapped ? (
                  Object.entries(r.fields).map(([f, v]) => (
                    <div key={f}>
                      <span className="text-slate-500">{f}</span> <span className="font-mono">{v}</span>
                    </div>
                  ))
                ) : (
                  <Badge tone="warn">unmapped</Badge>
                )}
              </Td>
              <Td className="text-xs">{r.identity ? `${r.identity.name} (${r.identity.kind})` : <span className="text-slate-500">—</span>}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
