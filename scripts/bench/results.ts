/**
 * Benchmark figures and their report: bench/results.json and the Markdown table the README links to.
 * Every target is a comparison of a measured value (often a ratio against a baseline measured in the
 * same run) with a bound; a figure that could not be measured is "not measured" and fails the run.
 */

export type Comparison = "<=" | ">=";
export type Status = "pass" | "fail" | "not measured";

export interface Figure {
  id: string;
  /** What was measured, e.g. "ingest rate (rows/s)". */
  label: string;
  value: number | null;
  unit: string;
  /** The baseline measured in the same run, when the target is a ratio. */
  baseline?: { label: string; value: number; unit: string } | null;
  /** value / baseline.value (or baseline.value / value for times, see `ratioOf`). */
  ratio?: number | null;
  /** What is compared with the target: the ratio or the value. */
  compare: "value" | "ratio";
  target: { op: Comparison; bound: number };
  status: Status;
  note?: string;
  /** Start of the run that measured it, when it was carried over from an earlier run (--only/--skip). */
  runAt?: string;
}

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  scale: number;
  machine: { cpus: number; memGiB: number; node: string; postgres: string | null };
  dataset: Record<string, number>;
  figures: Figure[];
  plans: { name: string; text: string }[];
  /** Anything a reader needs to interpret the figures (what "cold" means here, what was skipped). */
  notes: string[];
  passed: boolean;
}

export type FigureInput = Omit<Figure, "status" | "ratio"> & { ratio?: number | null; reason?: string };

/** Builds a figure and decides its status from its own numbers; nothing is pass unless measured. */
export function figure(input: FigureInput): Figure {
  const { reason, ...f } = input;
  const measured = f.compare === "ratio" ? f.ratio : f.value;
  let status: Status = "not measured";
  if (measured != null && Number.isFinite(measured)) {
    status = (f.target.op === "<=" ? measured <= f.target.bound : measured >= f.target.bound) ? "pass" : "fail";
  }
  return { ...f, ratio: f.ratio ?? null, status, ...(reason ? { note: reason } : {}) };
}

export function allPassed(figures: Figure[]): boolean {
  return figures.length > 0 && figures.every((f) => f.status === "pass");
}

function num(v: number | null | undefined, unit = ""): string {
  if (v == null || !Number.isFinite(v)) return "—";
  const abs = Math.abs(v);
  const s = abs >= 1000 ? Math.round(v).toLocaleString("en-US") : abs >= 10 ? v.toFixed(1) : abs >= 1 ? v.toFixed(2) : v.toFixed(3);
  return unit ? `${s} ${unit}` : s;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The Markdown report: one table row per figure, then the plans and notes. */
export function renderMarkdown(r: BenchResults): string {
  const lines = [
    "# Touchline benchmark results",
    "",
    `Run ${r.startedAt} → ${r.finishedAt} · scale ${r.scale} · ${r.machine.cpus} CPUs, ${r.machine.memGiB} GiB · Node ${r.machine.node} · ${r.machine.postgres ?? "PostgreSQL ?"}`,
    "",
    `Data set: ${Object.entries(r.dataset).map(([k, v]) => `${v.toLocaleString("en-US")} ${k}`).join(", ")}.`,
    "",
    `**Overall: ${r.passed ? "PASS" : "FAIL"}** (\`npm run bench\` exits non-zero when any target is missed or not measured).`,
    "",
    "| figure | value | baseline | ratio | target | result |",
    "|---|---|---|---|---|---|",
  ];
  for (const f of r.figures) {
    const target = `${f.compare === "ratio" ? "ratio" : "value"} ${f.target.op === "<=" ? "≤" : "≥"} ${num(f.target.bound)}${f.compare === "value" && f.unit ? ` ${f.unit}` : f.compare === "ratio" ? "×" : ""}`;
    const baseline = f.baseline ? `${f.baseline.label}: ${num(f.baseline.value, f.baseline.unit)}` : "—";
    const result = f.status === "pass" ? "✅ pass" : f.status === "fail" ? "❌ FAIL" : "⚠️ not measured";
    const sub = [f.note, f.runAt ? `measured in the run of ${f.runAt}` : null].filter(Boolean).join("; ");
    lines.push(
      `| ${cell(f.label)}${sub ? ` <br><sub>${cell(sub)}</sub>` : ""} | ${num(f.value, f.unit)} | ${cell(baseline)} | ${f.ratio != null ? `${num(f.ratio)}×` : "—"} | ${target} | ${result} |`,
    );
  }
  if (r.notes.length) lines.push("", "## Notes", "", ...r.notes.map((n) => `- ${n}`));
  if (r.plans.length) {
    lines.push("", "## Query plans", "");
    for (const p of r.plans) lines.push(`### ${p.name}`, "", "```", p.text.trimEnd(), "```", "");
  }
  return lines.join("\n") + "\n";
}

/** q-quantile (nearest rank) of a sample. */
export function quantile(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

export function median(xs: number[]): number {
  return quantile(xs, 0.5);
}
