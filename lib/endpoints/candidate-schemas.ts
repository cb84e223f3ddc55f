/** Request schemas of the endpoint review routes, shared by the handlers and the review screen (no server imports). */
import { z } from "zod";

export const CANDIDATE_STATUSES = ["pending", "accepted", "rejected"] as const;

export const candidateListQuery = z.object({
  status: z.enum(CANDIDATE_STATUSES, { message: `must be one of ${CANDIDATE_STATUSES.join(", ")}` }).optional(),
});

/** A path template as endpoints store them: absolute, segments or {param}s, no query. */
export const templatePath = z.string().trim().min(1, "must not be empty").max(300, "must be at most 300 characters")
  .regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%{}\-/]*$/, "must be a path template like /orders/{id}");

/** Accepting may rename the template (e.g. {id} → {orderId}, or a segment the derivation missed). */
export const acceptBody = z.object({ path: templatePath.optional() });

export const candidateParams = z.object({ id: z.string().min(1).max(100) });
