// Request schemas of the investigation and series routes, shared with any form that builds their
// URLs. Times are ISO 8601 with a zone (Z or an offset): a zone-less time would be read in the
// server's zone, and a responder in another one would analyse the wrong hour.
import { z } from "zod";
import { epochMs } from "@/lib/api/bounds";
import { environmentName } from "@/lib/environments/schema";

export const MAX_WINDOW_MS = 7 * 24 * 60 * 60_000;
export const LOOKBACK_MIN = 5;
export const LOOKBACK_MAX = 24 * 60;
export const DEFAULT_LOOKBACK_MINUTES = 120;

export const endpointParams = z.object({ id: z.string().min(1).max(200) });

const isoTime = z.iso
  .datetime({ offset: true, message: "expected an ISO 8601 time with a zone, e.g. 2026-11-26T10:00:00Z" })
  .transform((s) => Date.parse(s))
  .pipe(epochMs);

const timeRange = z.object({ from: isoTime.optional(), to: isoTime.optional() });

/** from/to come together, to after from, at most 7 days apart; errors name the field to fix. */
function checkRange(v: { from?: number; to?: number }, ctx: z.RefinementCtx): void {
  if ((v.from == null) !== (v.to == null)) {
    const missing = v.from == null ? "from" : "to";
    ctx.addIssue({ code: "custom", path: [missing], message: "from and to must be given together" });
    return;
  }
  if (v.from == null || v.to == null) return;
  if (v.to <= v.from) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
  else if (v.to - v.from > MAX_WINDOW_MS) ctx.addIssue({ code: "custom", path: ["to"], message: "the window may span at most 7 days" });
}

/**
 * A user type as lib/anomalies/user-types.ts names it: `policy:<policy id>`, `kind:person|service|none`,
 * `oauth:<client id>` or `group:<IdP group>`.
 */
export const userTypeParam = z
  .string()
  .trim()
  .max(200)
  .regex(/^(?:(?:policy|oauth|group):\S.*|kind:(?:person|service|none))$/, {
    message: "expected a user type: policy:<id>, kind:person, kind:service, kind:none, oauth:<client id> or group:<IdP group>",
  });

export const investigationQuery = timeRange
  .extend({
    /** Only this user type's callers count (series, spike and suspects). */
    userType: userTypeParam.optional(),
    /** The environment the caller is working in: an endpoint filed under another one is a 400 on `env`. */
    env: environmentName.optional(),
    lookback: z.coerce
      .number({ message: "expected a number of minutes" })
      .int({ message: "expected a whole number of minutes" })
      .min(LOOKBACK_MIN, { message: `must be at least ${LOOKBACK_MIN} minutes` })
      .max(LOOKBACK_MAX, { message: `must be at most ${LOOKBACK_MAX} minutes` })
      .optional(),
  })
  .superRefine(checkRange);

export const seriesQuery = timeRange.superRefine(checkRange);

export type InvestigationQuery = z.infer<typeof investigationQuery>;
export type SeriesQuery = z.infer<typeof seriesQuery>;
