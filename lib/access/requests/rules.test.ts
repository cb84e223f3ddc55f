import { describe, expect, it } from "vitest";
import { applicableRules, approvalRight, autoApprovingRule, type AccessRuleLike, type RequestLike } from "./rules";

const rule = (over: Partial<AccessRuleLike>): AccessRuleLike => ({
  id: over.name ?? "r", name: "r", policyId: null, requesterGroups: [], approverGroups: [], autoApprove: false, autoMaxMinutes: null, ...over,
});
const onCallReadOnly = rule({ name: "on-call read-only", policyId: "pol-ro", requesterGroups: ["oncall"], autoApprove: true, autoMaxMinutes: 60 });
const leads = rule({ name: "payments leads", policyId: "pol-pay", approverGroups: ["payments-leads"] });
const anyByPlatform = rule({ name: "platform approves anything", approverGroups: ["platform"] });
const req = (over: Partial<RequestLike>): RequestLike => ({ requesterId: "u-rui", requesterGroups: ["oncall"], policyId: "pol-ro", durationMinutes: 30, ...over });

describe("applicableRules", () => {
  it("matches a rule's policy (none = every request) and requester groups (none = anyone)", () => {
    const rules = [onCallReadOnly, leads, anyByPlatform];
    expect(applicableRules(rules, req({})).map((r) => r.name)).toEqual(["on-call read-only", "platform approves anything"]);
    expect(applicableRules(rules, req({ requesterGroups: ["engineering"] })).map((r) => r.name)).toEqual(["platform approves anything"]);
    expect(applicableRules(rules, req({ policyId: "pol-pay" })).map((r) => r.name)).toEqual(["payments leads", "platform approves anything"]);
    expect(applicableRules(rules, req({ policyId: null })).map((r) => r.name)).toEqual(["platform approves anything"]);
  });
});

describe("autoApprovingRule", () => {
  it("approves the on-call group's read-only requests up to an hour, and nothing else", () => {
    expect(autoApprovingRule([onCallReadOnly], req({}))?.name).toBe("on-call read-only");
    expect(autoApprovingRule([onCallReadOnly], req({ durationMinutes: 60 }))?.name).toBe("on-call read-only");
    expect(autoApprovingRule([onCallReadOnly], req({ durationMinutes: 61 }))).toBeNull();
    expect(autoApprovingRule([onCallReadOnly], req({ requesterGroups: ["engineering"] }))).toBeNull();
    expect(autoApprovingRule([onCallReadOnly], req({ policyId: "pol-pay" }))).toBeNull();
    expect(autoApprovingRule([rule({ autoApprove: true, autoMaxMinutes: null })], req({}))).toBeNull();
  });
});

describe("approvalRight", () => {
  const rules = [onCallReadOnly, leads];
  it("lets admins approve anything but their own requests", () => {
    expect(approvalRight({ id: "u-ada", groups: [], approvesAll: true }, req({}), rules)).toEqual({ ok: true });
    expect(approvalRight({ id: "u-rui", groups: [], approvesAll: true }, req({}), rules)).toMatchObject({ ok: false, reason: expect.stringMatching(/own request/) });
  });
  it("lets members of an applicable rule's approver groups approve, and nobody else", () => {
    const lead = { id: "u-lee", groups: ["payments-leads"], approvesAll: false };
    expect(approvalRight(lead, req({ policyId: "pol-pay" }), rules)).toEqual({ ok: true });
    expect(approvalRight(lead, req({ policyId: "pol-ro" }), rules)).toMatchObject({ ok: false });
    expect(approvalRight({ id: "u-vera", groups: ["engineering"], approvesAll: false }, req({ policyId: "pol-pay" }), rules)).toMatchObject({ ok: false, reason: expect.stringMatching(/not an approver/) });
  });
});
