import { createDb } from "@/lib/db";

/**
 * The demo's temporary-access setup: free-tier is offered for up to an hour, and a rule approves the
 * on-call group's requests for it at once — so rui's request is granted in seconds, while vera's wait
 * for ada. Skipped when the policy is not there.
 */
export async function seedAccessDemo(databaseUrl: string): Promise<boolean> {
  const db = createDb(databaseUrl);
  try {
    const policy = await db.policy.findFirst({ where: { name: "free-tier", deletedAt: null } });
    if (!policy) return false;
    await db.accessOffer.upsert({
      where: { policyId: policy.id }, update: {},
      create: { policyId: policy.id, maxMinutes: 60, description: "catalog and orders, read-mostly", createdBy: "demo" },
    });
    if (!(await db.accessRule.findFirst({ where: { name: "on-call quick look" } }))) {
      await db.accessRule.create({
        data: { name: "on-call quick look", policyId: policy.id, requesterGroups: ["oncall"], approverGroups: [], autoApprove: true, autoMaxMinutes: 60, createdBy: "demo" },
      });
    }
    return true;
  } finally {
    await db.$disconnect();
  }
}
