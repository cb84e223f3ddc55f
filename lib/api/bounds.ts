import { z } from "zod";

// Bounds every number and time a request may carry, so that nothing out of the database's range
// gets as far as a query (an int past int4, a cursor past int8, a year −270000 all failed there
// with a 500). lib/security/schema-bounds.test.ts holds every route's schemas to this.

/** PostgreSQL int4 (ids, versions, counts stored as INTEGER). */
export const INT4_MAX = 2_147_483_647;
/** PostgreSQL int8 (BIGINT ids and cursors). */
export const INT8_MAX = 9_223_372_036_854_775_807n;

/** Times between the years 1 and 9999: what PostgreSQL's timestamp and ISO 8601's four-digit year both hold. */
export const TIME_MIN_MS = Date.parse("0001-01-01T00:00:00.000Z");
export const TIME_MAX_MS = Date.parse("9999-12-31T23:59:59.999Z");
const TIME_RANGE = "use a time between the years 1 and 9999";

/** Epoch milliseconds within TIME_MIN_MS…TIME_MAX_MS (pipe a parsed time into it). */
export const epochMs = z.number().min(TIME_MIN_MS, TIME_RANGE).max(TIME_MAX_MS, TIME_RANGE);

/** A Date within the same range. */
export const boundedDate = z.date().min(new Date(TIME_MIN_MS), TIME_RANGE).max(new Date(TIME_MAX_MS), TIME_RANGE);

/** A decimal string that fits a (non-negative) int8, for BIGINT cursors. */
export function isInt8Decimal(s: string): boolean {
  return /^\d{1,19}$/.test(s) && BigInt(s) <= INT8_MAX;
}
