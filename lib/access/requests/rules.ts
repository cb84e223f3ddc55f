// Who may approve an access request, and which requests approve themselves. Pure: no I/O.
//
// A rule applies to a request when its policy matches (a rule without one covers every request)
// and the requester is in one of its requester groups (none listed: anyone). Admins may approve
// any request; members of an applicable rule's approver groups may approve it too. Nobody
// approves their own request. An applicable rule with auto-approval approves a request at once
// when its duration is within the rule's limit.

export interface AccessRuleLike {
  id: string;
  name: string;
  policyId: string | null;
  requesterGroups: string[];
  approverGroups: string[];
  autoApprove: boolean;
  autoMaxMinutes: number | null;
}

export interface RequestLike {
  requesterId: string;
  requesterGroups: string[];
  policyId: string | null;
  durationMinutes: number;
}

export interface Approver {
  id: string;
  groups: string[];
  /** Holds the access:approve permission (admins). */
  approvesAll: boolean;
}

const overlaps = (a: readonly string[], b: readonly string[]) => a.some((x) => b.includes(x));

export function applicableRules(rules: readonly AccessRuleLike[], req: RequestLike): AccessRuleLike[] {
  return rules.filter((r) => (r.policyId === null || r.policyId === req.policyId) && (!r.requesterGroups.length || overlaps(r.requesterGroups, req.requesterGroups)));
}

/** The rule that approves this request at once, or null (the first by name, for a stable answer). */
export function autoApprovingRule(rules: readonly AccessRuleLike[], req: RequestLike): AccessRuleLike | null {
  const hits = applicableRules(rules, req).filter((r) => r.autoApprove && r.autoMaxMinutes !== null && req.durationMinutes <= r.autoMaxMinutes);
  return hits.sort((a, b) => a.name.localeCompare(b.name))[0] ?? null;
}

export function approvalRight(approver: Approver, req: RequestLike, rules: readonly AccessRuleLike[]): { ok: true } | { ok: false; reason: string } {
  if (approver.id === req.requesterId) return { ok: false, reason: "You cannot approve or deny your own request" };
  if (approver.approvesAll) return { ok: true };
  if (applicableRules(rules, req).some((r) => overlaps(r.approverGroups, approver.groups))) return { ok: true };
  return { ok: false, reason: "You are not an approver for this request (admins, or the IdP groups an access rule names)" };
}
