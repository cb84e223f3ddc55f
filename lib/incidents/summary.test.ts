import fc from "fast-check";
import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import type { SuspectJson } from "@/lib/investigation/result";
import { incidentMarkdown, mdText } from "./summary";

// A CommonMark renderer with raw HTML and bare-URL/email linking on (GFM-like, the most permissive
// reading a paste target could give the summary) as the judge of what the Markdown does.
const md = new MarkdownIt({ html: true, linkify: true });
const URL_OF_INCIDENT = "https://touchline.example/incidents/orders-abc";

/** Text a reader sees: tags dropped, entities decoded. */
function visibleText(html: string): string {
  return html.replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&amp;/g, "&");
}

// Strings built from the characters that make Markdown, HTML and Slack markup.
const hostile = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: fc.constantFrom("*", "_", "`", "[", "]", "(", ")", "!", "<", ">", "&", "#", "\\", "~", "|", "@", ":", "/", ".", "\n", " ", "a", "1", "-", "+", "=", "h", "t", "p", "w"), maxLength: 60 }),
  fc.constantFrom(
    "<!channel> deploy now", "<@U012AB3CD> look", "<http://evil.example|click here>", "[click](http://evil.example/x)", "![x](http://evil.example/p.png)",
    "http://evil.example/x", "www.evil.example", "mallory@evil.example", "<script>alert(1)</script>", "**bold** _it_ `code`", "&lt;!here&gt;",
    "# heading\n> quote\n- item", "x\u0000y\u202ez", "@channel @here @everyone",
  ),
);

function suspect(label: string, actor: string, path: string, before: string, after: string): SuspectJson {
  return {
    rank: 1, kind: "access_change", id: "c1", label, changedAt: "2026-01-01T00:10:00.000Z", actor,
    share: { point: 0.5, lo: 0.4, hi: 0.6 }, evidence: { diff: [{ path, before, after }], exemplarTraceIds: [] },
  } as unknown as SuspectJson;
}

describe("mdText", () => {
  it("renders as exactly the text it was given, and as nothing else", () => {
    fc.assert(
      fc.property(hostile, (value) => {
        const html = md.renderInline(mdText(value));
        expect(html).not.toMatch(/<(?!br)/); // no tag at all: no link, image, emphasis, code, HTML
        expect(visibleText(html)).toBe(value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\s]+/g, " "));
      }),
      { numRuns: 500 },
    );
  });

  it("leaves no Slack control sequence or mention intact", () => {
    fc.assert(
      fc.property(hostile, (value) => {
        const out = mdText(value);
        expect(out).not.toMatch(/[<>]/);
        expect(out).not.toMatch(/(^|[^\\])@(channel|here|everyone)/);
      }),
    );
  });
});

describe("incidentMarkdown", () => {
  it("links only the incident itself, whatever titles, labels, actors and diffs hold", () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, hostile, hostile, (title, label, actor, value, owner) => {
        const out = incidentMarkdown({
          title, severity: "sev2", status: "open", url: URL_OF_INCIDENT, ownerEmail: owner, endpointLabel: value, apiName: label,
          window: { from: "2026-01-01T00:00:00.000Z", to: "2026-01-01T01:00:00.000Z" }, verdict: title, suspects: [suspect(label, actor, value, title, owner)],
        });
        const html = md.render(out);
        const links = [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);
        expect(links).toEqual([URL_OF_INCIDENT]);
        expect(html).not.toMatch(/<(img|script|code|em|h\d|blockquote|ul|pre|table|del|hr)\b/);
        expect(out.split("\n")).toHaveLength(6);
        const text = visibleText(html);
        for (const v of [title, label, actor, value, owner]) expect(text).toContain(v.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\s]+/g, " ").trim());
      }),
      { numRuns: 300 },
    );
  });
});
