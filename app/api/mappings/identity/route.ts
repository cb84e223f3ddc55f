import { apiRoute } from "@/lib/api/handler";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db";
import { addIdentityRule, listIdentityRules } from "@/lib/queries/traces-mappings";
import { identityRuleInput } from "@/lib/queries/traces-mapping-schemas";

export const GET = apiRoute({ permission: "settings:read" }, async () => ({ rules: await listIdentityRules(db) }));

export const POST = apiRoute({ permission: "settings:write", body: identityRuleInput }, async ({ body, actor, ip, userAgent, requestId }) => {
  const rule = await addIdentityRule(db, body);
  await recordAudit(db, {
    actor,
    action: "mapping.identity.create",
    target: { type: "identity_mapping", id: rule.id },
    ip,
    userAgent,
    requestId,
    details: { attribute: rule.attribute, field: rule.field, priority: rule.priority },
  });
  return Response.json({ rule }, { status: 201 });
});
