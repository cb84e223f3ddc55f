import { apiRoute } from "@/lib/api/handler";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db";
import { setEndpointMapping } from "@/lib/queries/traces-mappings";
import { endpointMappingBody, idParams } from "@/lib/queries/traces-mapping-schemas";

// { operation: "GET /orders" } maps by hand (mappingSource manual); { operation: null } resets to auto.
export const PUT = apiRoute({ permission: "settings:write", params: idParams, body: endpointMappingBody }, async ({ params, body, actor, ip, userAgent, requestId }) => {
  const { before, after } = await setEndpointMapping(db, params.id, body.operation);
  await recordAudit(db, {
    actor,
    action: body.operation === null ? "mapping.endpoint.reset" : "mapping.endpoint.update",
    target: { type: "endpoint", id: params.id },
    ip,
    userAgent,
    requestId,
    details: {
      endpoint: `${after.method} ${after.path}`,
      before: { operation: before.operation, mappingSource: before.mappingSource },
      after: { operation: after.operation, mappingSource: after.mappingSource },
    },
  });
  return { endpoint: after };
});
