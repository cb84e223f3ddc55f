// "Copy summary": the incident as Markdown for Slack or Jira, link included.
import type { SuspectJson } from "@/lib/investigation/result";

export interface SummaryInput {
  title: string;
  severity: string;
  status: string;
  url: string;
  ownerEmail: string | null;
  endpointLabel: string;
  apiName: string;
  window: { from: string; to: string };
  verdict: string;
  suspects: SuspectJson[];
}

const utc = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;
const pct = (x: number) => `${Math.round(x * 100)}%`;
const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
// Slack and Jira both render these; a title with markup must not break the line.
const plain = (s: string) => s.replace(/[*_`[\]]/g, (c) => `\\${c}`);

function suspectLine(s: SuspectJson): string {
  const parts = [`${s.rank}. **${plain(s.label)}** (${s.kind.replace("_", " ")}) — ${pct(s.share.point)} of the excess (${pct(s.share.lo)}–${pct(s.share.hi)})`];
  if (s.changedAt) parts.push(`changed ${utc(s.changedAt)}${s.actor ? ` by ${s.actor}` : ""}`);
  const diff = s.evidence.diff?.slice(0, 3).map((d) => `${d.path} ${show(d.before)} → ${show(d.after)}`);
  if (diff?.length) parts.push(diff.join(", "));
  return parts.join(" · ");
}

export function incidentMarkdown(i: SummaryInput): string {
  const lines = [
    `**[${i.severity.toUpperCase()}] ${plain(i.title)}** — ${i.status}`,
    `Endpoint: \`${i.endpointLabel}\` (${plain(i.apiName)}) · ${utc(i.window.from)} – ${utc(i.window.to)}`,
    `Verdict: ${plain(i.verdict)}`,
  ];
  const top = i.suspects.slice(0, 3);
  if (top.length) lines.push("Top suspects:", ...top.map(suspectLine));
  lines.push(`Owner: ${i.ownerEmail ?? "unassigned"} · Evidence (SSO): ${i.url}`);
  return lines.join("\n");
}
