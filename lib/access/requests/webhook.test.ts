import { describe, expect, it } from "vitest";
import { slackMessage } from "./webhook";

const req = { id: "req 1", requesterEmail: "rui@acme.test", targetLabel: "free-tier", durationMinutes: 30, reason: "INC-42 <script> & co", decidedBy: "ada@acme.test" };

describe("slackMessage", () => {
  it("says who asked for what and for how long, with a link to review it", () => {
    const m = slackMessage("requested", req, "https://touchline.example.com/");
    expect(m.text).toBe("*rui@acme.test* requests temporary access to *free-tier* for 30 min");
    expect(m.blocks).toEqual([
      { type: "section", text: { type: "mrkdwn", text: m.text } },
      { type: "context", elements: [
        { type: "mrkdwn", text: "Reason: INC-42 &lt;script&gt; &amp; co" },
        { type: "mrkdwn", text: "<https://touchline.example.com/access-requests/req%201|Review in Touchline>" },
      ] },
    ]);
  });

  it("names the decision and the decider", () => {
    expect(slackMessage("approved", req, "http://x").text).toBe("*ada@acme.test* approved *rui@acme.test*'s access to *free-tier* for 30 min");
    expect(slackMessage("denied", { ...req, decisionNote: "use staging" }, "http://x").blocks[1]).toMatchObject({ elements: [{}, { text: "Note: use staging" }, {}] });
    expect(slackMessage("auto_approved", { ...req, decidedBy: "rule: on-call" }, "http://x").text).toMatch(/auto-approved: rule: on-call/);
  });
});
