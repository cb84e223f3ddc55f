// Output formatting for the CLI (pure).

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | null | undefined;
  align?: "left" | "right";
}

/** A plain-text table sized to its content; empty cells show as "—". */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => {
    const v = c.value(r);
    return v === null || v === undefined || v === "" ? "—" : String(v).replace(/\s+/g, " ");
  }));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i].length)));
  const line = (vals: string[]) =>
    vals.map((s, i) => (columns[i].align === "right" ? s.padStart(widths[i]) : s.padEnd(widths[i]))).join("  ").trimEnd();
  return [line(columns.map((c) => c.header.toUpperCase())), ...cells.map(line)].join("\n");
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

export function formatPct(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? "—" : `${Math.round(x * 100)}%`;
}

/** "2026-11-26 10:04Z" — compact UTC for terminals. */
export function formatTime(iso: string | Date | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "—" : `${d.toISOString().slice(0, 16).replace("T", " ")}Z`;
}

/** The subset of the investigation JSON the CLI prints (see lib/investigation/result.ts). */
export interface InvestigationSummary {
  endpoint: { method: string; path: string; apiName: string };
  window: { from: string; to: string };
  verdict: { verdict: string; summary: string };
  suspects: { rank: number; kind: string; label: string; actor: string | null; changedAt: string | null; share: { point: number }; qValue: number; identity?: { name?: string | null; email?: string | null } | null }[];
}

export function formatInvestigation(inv: InvestigationSummary): string {
  const head = [
    `${inv.endpoint.method} ${inv.endpoint.path}  (${inv.endpoint.apiName})`,
    `window  ${formatTime(inv.window.from)} → ${formatTime(inv.window.to)}`,
    `verdict ${inv.verdict.verdict}: ${inv.verdict.summary}`,
  ].join("\n");
  if (!inv.suspects.length) return `${head}\n\nNo significant suspects.`;
  const table = formatTable(inv.suspects, [
    { header: "#", value: (s) => s.rank, align: "right" },
    { header: "suspect", value: (s) => s.label },
    { header: "kind", value: (s) => s.kind },
    { header: "who", value: (s) => s.actor ?? s.identity?.email ?? s.identity?.name },
    { header: "when", value: (s) => formatTime(s.changedAt) },
    { header: "share", value: (s) => formatPct(s.share.point), align: "right" },
    { header: "q", value: (s) => s.qValue.toFixed(3), align: "right" },
  ]);
  return `${head}\n\n${table}`;
}
