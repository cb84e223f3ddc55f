// SQL fragments shared by the loaders. Prisma stores DateTime as `timestamp(3)` holding UTC, so
// times cross the boundary as epoch milliseconds and are converted in SQL, never through the
// driver's time-zone handling.
import { Prisma } from "@/lib/generated/prisma/client";

/** An epoch-ms parameter as a UTC `timestamp(3)` (comparable with the indexed `ts` columns). */
export function at(ms: number): Prisma.Sql {
  return Prisma.sql`(to_timestamp(${ms}::float8 / 1000.0) AT TIME ZONE 'UTC')::timestamp(3)`;
}

/** A `timestamp` column as epoch ms (float8, so it arrives as a JS number). */
export function epochMs(column: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(extract(epoch FROM ${column}) * 1000)::float8`;
}

/** The start of a `timestamp` column's minute as epoch ms. */
export function minuteMs(column: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(floor(extract(epoch FROM ${column}) / 60) * 60000)::float8`;
}

export const MINUTE = 60_000;

/** Rounds an epoch-ms time down to its minute. */
export function floorMinute(ms: number): number {
  return Math.floor(ms / MINUTE) * MINUTE;
}
