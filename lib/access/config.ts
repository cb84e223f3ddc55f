import { env } from "@/lib/env";

/** The hygiene rules' thresholds and the rotation / access-request limits, from configuration. */
export interface AccessConfig {
  /** A key, secret or token older than this is due for rotation. */
  rotationDays: number;
  /** No request in this many days: unused. Also the window for "APIs it has not called". */
  unusedDays: number;
  /** How often the usage rollup behind "last used" is refreshed. */
  usageRefreshMs: number;
  /** Default grace period of a key rotation: both keys work, then the old one is deleted. */
  graceHours: number;
  /** Longest temporary key for a request by APIs (curated policies carry their own maximum). */
  requestMaxMinutes: number;
  /** Rate limit of a temporary key requested by APIs (requests per minute). */
  requestRatePerMinute: number;
  /** How often due deletions and expiries are carried out. */
  jobIntervalMs: number;
}

export function accessConfig(): AccessConfig {
  const e = env();
  return {
    rotationDays: e.HYGIENE_ROTATION_DAYS,
    unusedDays: e.HYGIENE_UNUSED_DAYS,
    usageRefreshMs: e.HYGIENE_USAGE_REFRESH_SECONDS * 1000,
    graceHours: e.ROTATION_GRACE_HOURS,
    requestMaxMinutes: e.ACCESS_REQUEST_MAX_MINUTES,
    requestRatePerMinute: e.ACCESS_REQUEST_RATE_PER_MINUTE,
    jobIntervalMs: e.ACCESS_JOB_INTERVAL_SECONDS * 1000,
  };
}
