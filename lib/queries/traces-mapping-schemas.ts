/** Request schemas of the mapping routes, shared by the handlers and the settings forms (no server imports). */
import { z } from "zod";
import { IDENTITY_FIELDS } from "@/lib/traces/identity-mapping";

// Trace operations look like "GET /orders/{id}"; also allow free-form names some instrumentations use.
export const operationSchema = z.string().trim().min(1, "must not be empty").max(300, "must be at most 300 characters").regex(/^[^\n\r\t]+$/, "must be one line");

/** `operation: null` resets the endpoint to the automatic mapping. */
export const endpointMappingBody = z.object({ operation: operationSchema.nullable() });

export const identityRuleInput = z.object({
  attribute: z.string().trim().min(1, "must not be empty").max(200).regex(/^[A-Za-z0-9_.:\-/]+$/, "letters, digits and . _ - : / only"),
  field: z.enum(IDENTITY_FIELDS, { message: `must be one of ${IDENTITY_FIELDS.join(", ")}` }),
  priority: z.coerce.number().int("must be a whole number").min(0).max(10_000).default(100),
});
export type IdentityRuleInput = z.infer<typeof identityRuleInput>;

export const previewBody = z.object({
  rules: z.array(identityRuleInput).max(50, "at most 50 rules"),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const idParams = z.object({ id: z.string().min(1).max(100) });
