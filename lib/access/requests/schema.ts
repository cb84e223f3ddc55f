import { z } from "zod";

// Bodies of the access-request and access-settings routes; the console's forms build the same shapes.

const id = z.string().trim().min(1).max(120);
const minutes = z.number().int("whole minutes").min(5, "at least 5 minutes").max(10_080, "at most 7 days");
const groups = z.array(z.string().trim().min(1).max(120)).max(20);

export const createRequestBody = z
  .object({
    policyId: id.optional(),
    apiIds: z.array(id).max(20).optional(),
    reason: z.string().trim().min(3, "say why you need access").max(500),
    durationMinutes: minutes,
  })
  .refine((b) => Boolean(b.policyId) !== Boolean(b.apiIds?.length), { message: "choose one offered policy or at least one API (not both)", path: ["policyId"] });
export type CreateRequestBody = z.infer<typeof createRequestBody>;

export const decideBody = z.object({ note: z.string().trim().max(500).optional() });

export const offerBody = z.object({ policyId: id, maxMinutes: minutes, description: z.string().trim().max(300).default("") });
export type OfferBody = z.infer<typeof offerBody>;

export const ruleBody = z
  .object({
    name: z.string().trim().min(1, "give the rule a name").max(80),
    /** An offered policy's id, or "any" for every request (requests by APIs included). */
    policyId: id,
    requesterGroups: groups.default([]),
    approverGroups: groups.default([]),
    autoApprove: z.boolean().default(false),
    autoMaxMinutes: minutes.nullish(),
  })
  .refine((r) => !r.autoApprove || r.autoMaxMinutes != null, { message: "auto-approval needs a maximum duration", path: ["autoMaxMinutes"] })
  .refine((r) => r.autoApprove || r.approverGroups.length > 0, { message: "name approver groups, or make the rule auto-approve", path: ["approverGroups"] });
export type RuleBody = z.infer<typeof ruleBody>;

export const webhookBody = z.object({
  url: z.url().max(2000).refine((u) => /^https?:\/\//i.test(u), "must be an http(s) URL"),
});

export const requestListQuery = z.object({
  scope: z.enum(["mine", "to_approve", "all"]).default("mine"),
  status: z.enum(["pending", "approved", "denied", "cancelled", "lapsed", "issued", "expired", "revoked"]).optional(),
});

export const requestIdParams = z.object({ id: z.string().min(1).max(64) });
