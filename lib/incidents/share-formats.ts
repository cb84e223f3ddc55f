// "Copy for Slack" and "Copy for Jira": the incident summary in each tool's own markup (the Markdown
// one is summary.ts). Values from the incident are inert in each: no link, mention, macro or new
// block can come out of a title, a label or a diff value.
import type { SuspectJson } from "@/lib/investigation/result";
import type { SummaryInput } from "./summary";

const flat = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\s]+/g, " ");
const utc = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;
const pct = (x: number) => `${Math.round(x * 100)}%`;
const show = (v: unknown) => (typeof v === "string" ? v : String(JSON.stringify(v)));

/**
 * A value as Slack mrkdwn text: `&`, `<` and `>` escaped (Slack's own rule, so `<!channel>` or
 * `<http://x|y>` stay text) and `@channel`/`@here`/`@everyone` broken with a word joiner, since
 * pasted into the composer they would notify a whole channel.
 */
export function slackText(value: string): string {
  return flat(value)
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/@(channel|here|everyone)\b/gi, "@\u2060$1");
}

// Jira wiki markup's special characters; a backslash makes each literal.
const JIRA_SPECIAL = /[\\*_?\-+^~{}[\]|!#]/g;

/** A value as Jira wiki-markup text: every markup character escaped (no link, macro, mention, emphasis). */
export function jiraText(value: string): string {
  return flat(value).replace(JIRA_SPECIAL, "\\$&");
}

function suspectParts(s: SuspectJson, text: (v: string) => string, bold: (v: string) => string): string {
  const parts = [`${s.rank}. ${bold(text(s.label))} (${text(s.kind.replace("_", " "))}) — ${pct(s.share.point)} of the excess (${pct(s.share.lo)}–${pct(s.share.hi)})`];
  if (s.changedAt) parts.push(`changed ${utc(s.changedAt)}${s.actor ? ` by ${text(s.actor)}` : ""}`);
  const diff = s.evidence.diff?.slice(0, 3).map((d) => `${text(d.path)} ${text(show(d.before))} → ${text(show(d.after))}`);
  if (diff?.length) parts.push(diff.join(", "));
  return parts.join(" · ");
}

export function incidentSlack(i: SummaryInput): string {
  const bold = (v: string) => `*${v}*`;
  const lines = [
    `${bold(`[${slackText(i.severity.toUpperCase())}] ${slackText(i.title)}`)} — ${slackText(i.status)}`,
    `Endpoint: ${slackText(i.endpointLabel)} (${slackText(i.apiName)}) · ${utc(i.window.from)} – ${utc(i.window.to)}`,
    `Verdict: ${slackText(i.verdict)}`,
  ];
  const top = i.suspects.slice(0, 3);
  if (top.length) lines.push("Top suspects:", ...top.map((s) => suspectParts(s, slackText, bold)));
  lines.push(`Owner: ${i.ownerEmail ? slackText(i.ownerEmail) : "unassigned"} · <${i.url}|Evidence in Touchline> (SSO)`);
  return lines.join("\n");
}

export function incidentJira(i: SummaryInput): string {
  const bold = (v: string) => `*${v}*`;
  const lines = [
    `h3. \\[${jiraText(i.severity.toUpperCase())}\\] ${jiraText(i.title)}`,
    `${bold("Status")}: ${jiraText(i.status)}`,
    `${bold("Endpoint")}: ${jiraText(i.endpointLabel)} (${jiraText(i.apiName)}) · ${utc(i.window.from)} – ${utc(i.window.to)}`,
    `${bold("Verdict")}: ${jiraText(i.verdict)}`,
  ];
  const top = i.suspects.slice(0, 3);
  if (top.length) lines.push(bold("Top suspects"), ...top.map((s) => `# ${suspectParts(s, jiraText, bold).replace(/^\d+\. /, "")}`));
  lines.push(`${bold("Owner")}: ${i.ownerEmail ? jiraText(i.ownerEmail) : "unassigned"} · [Evidence in Touchline (SSO)|${i.url}]`);
  return lines.join("\n");
}
