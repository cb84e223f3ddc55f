// Shared zod schemas for incident forms and route handlers (client-safe: no server imports).
import { z } from "zod";
import { epochMs } from "@/lib/api/bounds";
import { environmentName } from "@/lib/environments/schema";
import { userTypeParam } from "@/lib/investigation/params";

export const SEVERITIES = ["sev1", "sev2", "sev3", "sev4"] as const;
export const STATUSES = ["open", "mitigated", "resolved"] as const;
export const VISIBILITIES = ["all", "responders"] as const;
export type Severity = (typeof SEVERITIES)[number];
export type IncidentStatus = (typeof STATUSES)[number];
export type Visibility = (typeof VISIBILITIES)[number];

const isoTime = z.string().max(40).refine((s) => Number.isFinite(Date.parse(s)), "must be an ISO time").transform((s) => Date.parse(s)).pipe(epochMs);

export const createIncidentBody = z
  .object({
    endpointId: z.string().min(1).max(100),
    from: isoTime,
    to: isoTime,
    title: z.string().trim().min(3, "at least 3 characters").max(200),
    severity: z.enum(SEVERITIES),
    ownerId: z.string().min(1).max(100).optional(),
    visibility: z.enum(VISIBILITIES).default("all"),
    /** The investigation's user-type filter, frozen with it. */
    userType: userTypeParam.optional(),
  })
  .refine((b) => b.to > b.from, { path: ["to"], message: "must be after from" })
  .refine((b) => b.to - b.from <= 7 * 86_400_000, { path: ["to"], message: "window is wider than 7 days" });
export type CreateIncidentBody = z.input<typeof createIncidentBody>;

export const updateIncidentBody = z
  .object({
    status: z.enum(STATUSES).optional(),
    severity: z.enum(SEVERITIES).optional(),
    title: z.string().trim().min(3).max(200).optional(),
    ownerId: z.string().min(1).max(100).optional(),
    visibility: z.enum(VISIBILITIES).optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "nothing to change" });
export type UpdateIncidentBody = z.input<typeof updateIncidentBody>;

export const noteBody = z.object({ body: z.string().trim().min(1, "is empty").max(5000) });

export const slugParams = z.object({ slug: z.string().regex(/^[a-z0-9-]{8,120}$/, "not an incident link") });

export const listIncidentsQuery = z.object({
  status: z.enum(STATUSES).optional(),
  severity: z.enum(SEVERITIES).optional(),
  /** "me" or an email. */
  owner: z.string().max(200).optional(),
  q: z.string().max(200).optional(),
  /** Only incidents on endpoints of APIs filed under this environment (any spelling). */
  env: environmentName.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export type ListIncidentsQuery = z.infer<typeof listIncidentsQuery>;
