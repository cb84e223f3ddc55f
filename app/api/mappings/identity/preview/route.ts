import { apiRoute } from "@/lib/api/handler";
import { db } from "@/lib/db";
import { previewIdentityRules } from "@/lib/queries/traces-mappings";
import { previewBody } from "@/lib/queries/traces-mapping-schemas";

// Read-only (nothing is saved): the draft rules applied to the latest stored exemplars.
export const POST = apiRoute({ permission: "settings:read", body: previewBody }, async ({ body }) => ({
  rows: await previewIdentityRules(db, body.rules, body.limit),
}));
