import { z } from "zod";

type Num = () => z.ZodNumber;

/** Tyk's quota (requests per renewal period) and throttle (queue and retry past the rate), each optional; `num` is z.number, or z.coerce.number for a query string. */
export function quotaThrottleFields(num: Num = () => z.number()) {
  return {
    quotaMax: num().int().positive().max(1e12).optional(),
    quotaRenewalRate: num().int().positive().max(31_536_000).optional(),
    throttleInterval: num().int().positive().max(3600).optional(),
    throttleRetryLimit: num().int().positive().max(1000).optional(),
  };
}

interface Pairs { quotaMax?: number; quotaRenewalRate?: number; throttleInterval?: number; throttleRetryLimit?: number }

/** A quota needs both its fields, a throttle both of its own: the missing one is the field named. */
export function withQuotaThrottlePairs<S extends z.ZodType<Pairs>>(schema: S): S {
  return schema
    .refine((b) => b.quotaMax === undefined || b.quotaRenewalRate !== undefined, { message: "quotaRenewalRate is required with quotaMax", path: ["quotaRenewalRate"] })
    .refine((b) => b.quotaRenewalRate === undefined || b.quotaMax !== undefined, { message: "quotaMax is required with quotaRenewalRate", path: ["quotaMax"] })
    .refine((b) => b.throttleRetryLimit === undefined || b.throttleInterval !== undefined, { message: "throttleInterval is required with throttleRetryLimit", path: ["throttleInterval"] })
    .refine((b) => b.throttleInterval === undefined || b.throttleRetryLimit !== undefined, { message: "throttleRetryLimit is required with throttleInterval", path: ["throttleRetryLimit"] });
}
