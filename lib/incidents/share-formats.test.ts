import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SuspectJson } from "@/lib/investigation/result";
import { incidentJira, incidentSlack, jiraText, slackText } from "./share-formats";

const URL_OF_INCIDENT = "https://touchline.example/incidents/orders-abc";
const hostile = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: fc.constantFrom("*", "_", "`", "[", "]", "{", "}", "|", "!", "<", ">", "&", "#", "\\", "~", "^", "+", "-", "?", "@", "\n", " ", "a", "h"), maxLength: 60 }),
  fc.constantFrom("<!channel> deploy now", "<@U012AB3CD> look", "<http://evil.example|click here>", "[click|http://evil.example]", "[~admin]",
    "{code}x{code}", "!http://evil.example/p.png!", "@channel @here @everyone", "h1. heading"),
);

function suspect(label: string, actor: string, path: string, before: string, after: string): SuspectJson {
  return {
    rank: 1, kind: "access_change", id: "c1", label, changedAt: "2026-01-01T00:10:00.000Z", actor,
    share: { point: 0.97, lo: 0.96, hi: 0.97 }, evidence: { diff: [{ path, before, after }], exemplarTraceIds: [] },
  } as unknown as SuspectJson;
}
const input = (title: string, label: string, actor: string, value: string, owner: string) => ({
  title, severity: "sev2", status: "open", url: URL_OF_INCIDENT, ownerEmail: owner, endpointLabel: value, apiName: label,
  window: { from: "2026-01-01T00:00:00.000Z", to: "2026-01-01T01:00:00.000Z" }, verdict: title, suspects: [suspect(label, actor, value, title, owner)],
});

/** Jira text with escaped characters removed: what is left must hold no markup character. */
const unescapedJira = (s: string) => s.replace(/\\./g, "");

describe("Copy for Slack", () => {
  it("reads as the summary: bold title, verdict, suspects, one link to the incident", () => {
    const out = incidentSlack(input("Orders p99 spike", "partner-gold", "ada@acme.test", "GET /orders", "rui@acme.test"));
    expect(out.split("\n")[0]).toBe("*[SEV2] Orders p99 spike* — open");
    expect(out).toContain("1. *partner-gold* (access change) — 97% of the excess (96%–97%)");
    expect(out).toContain(`<${URL_OF_INCIDENT}|Evidence in Touchline> (SSO)`);
  });

  it("leaves no Slack control sequence or channel mention from the incident's values", () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, hostile, hostile, (title, label, actor, value, owner) => {
        const out = incidentSlack(input(title, label, actor, value, owner));
        expect(out.match(/<[^>]*>/g)).toEqual([`<${URL_OF_INCIDENT}|Evidence in Touchline>`]);
        expect(out).not.toMatch(/@(channel|here|everyone)\b/i);
        expect(out.split("\n")).toHaveLength(6);
      }),
      { numRuns: 300 },
    );
    expect(slackText("a & b <!here> @channel")).toBe("a &amp; b &lt;!here&gt; @\u2060channel");
  });
});

describe("Copy for Jira", () => {
  it("is wiki markup: a heading, bold labels, a numbered suspect, one link", () => {
    const out = incidentJira(input("Orders p99 spike", "partner-gold", "ada@acme.test", "GET /orders", "rui@acme.test"));
    expect(out.split("\n")[0]).toBe("h3. \\[SEV2\\] Orders p99 spike");
    expect(out).toContain("# *partner\\-gold* (access change) — 97% of the excess (96%–97%)");
    expect(out).toContain(`[Evidence in Touchline (SSO)|${URL_OF_INCIDENT}]`);
  });

  it("escapes every markup character of the incident's values", () => {
    fc.assert(
      fc.property(hostile, (value) => {
        expect(unescapedJira(jiraText(value))).not.toMatch(/[*_?\-+^~{}[\]|!#\\]/);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(hostile, hostile, hostile, hostile, hostile, (title, label, actor, value, owner) => {
        const out = incidentJira(input(title, label, actor, value, owner));
        // The only link is the incident's; the only unescaped brackets are its own.
        expect(unescapedJira(out).match(/\[[^\]]*\]/g)).toEqual([`[Evidence in Touchline (SSO)|${URL_OF_INCIDENT}]`]);
        expect(out.split("\n")).toHaveLength(7);
      }),
      { numRuns: 300 },
    );
  });
});
