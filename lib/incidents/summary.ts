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

// ASCII punctuation, which CommonMark lets a backslash make literal — except & < >, which become
// the three entities both CommonMark and Slack decode (so `<!channel>` or `<http://x|y>` stay text).
const PUNCTUATION = /[!"#$%'()*+,\-./:;=?@[\\\]^_`{|}~]/g;

/**
 * A value from the incident (a title, a label, a diff value) as inert Markdown text: no emphasis,
 * link, image, autolink, HTML, mention or new block can come out of it, in CommonMark or Slack.
 * Line breaks and control characters become spaces (a value is one line of the summary).
 */
export function mdText(value: string): string {
  return value
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\s]+/g, " ")
    .replace(PUNCTUATION, "\\$&")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

const utc = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;
const pct = (x: number) => `${Math.round(x * 100)}%`;
const show = (v: unknown) => mdText(typeof v === "string" ? v : String(JSON.stringify(v)));

function suspectLine(s: SuspectJson): string {
  const parts = [`${s.rank}. **${mdText(s.label)}** (${mdText(s.kind.replace("_", " "))}) — ${pct(s.share.point)} of the excess (${pct(s.share.lo)}–${pct(s.share.hi)})`];
  if (s.changedAt) parts.push(`changed ${utc(s.changedAt)}${s.actor ? ` by ${mdText(s.actor)}` : ""}`);
  const diff = s.evidence.diff?.slice(0, 3).map((d) => `${mdText(d.path)} ${show(d.before)} → ${show(d.after)}`);
  if (diff?.length) parts.push(diff.join(", "));
  return parts.join(" · ");
}

export function incidentMarkdown(i: SummaryInput): string {
  const lines = [
    `**\\[${mdText(i.severity.toUpperCase())}\\] ${mdText(i.title)}** — ${mdText(i.status)}`,
    `Endpoint: ${mdText(i.endpointLabel)} (${mdText(i.apiName)}) · ${utc(i.window.from)} – ${utc(i.window.to)}`,
    `Verdict: ${mdText(i.verdict)}`,
  ];
  const top = i.suspects.slice(0, 3);
  if (top.length) lines.push("Top suspects:", ...top.map(suspectLine));
  lines.push(`Owner: ${i.ownerEmail ? mdText(i.ownerEmail) : "unassigned"} · Evidence (SSO): ${i.url}`);
  return lines.join("\n");
}
