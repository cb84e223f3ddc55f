import { z } from "zod";
import { parseTrustedProxies } from "@/lib/security/client-ip";

const optionalUrl = z.url().optional();
const budgetSeconds = z.coerce.number().int().min(10).max(86_400).optional();
const bool = z
  .enum(["true", "false", "1", "0"])
  .transform((v) => v === "true" || v === "1");

/** Every variable Touchline reads. `.env.example` documents the same list. */
export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.url({ message: "must be a postgres:// URL" }),
  NEXTAUTH_URL: z.url({ message: "must be the console's public URL, e.g. http://localhost:3000" }),
  NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters (openssl rand -base64 32)"),
  OIDC_ISSUER: z.url({ message: "must be the IdP's issuer URL" }),
  OIDC_CLIENT_ID: z.string().min(1),
  OIDC_CLIENT_SECRET: z.string().min(1),
  OIDC_GROUPS_CLAIM: z.string().min(1).default("groups"),
  OIDC_DISPLAY_NAME: z.string().min(1).default("SSO"),
  // Added to "openid email profile groups", e.g. offline_access where the IdP issues refresh tokens only then (Okta, Entra ID).
  OIDC_EXTRA_SCOPES: z.string().regex(/^[\w:./ -]*$/, "space-separated scope names").max(500).default(""),
  TOUCHLINE_ROLE_MAP: z.string().min(1).default("admin=platform-admins;responder=oncall;viewer=*"),
  SESSION_MAX_AGE_SECONDS: z.coerce.number().int().min(300).max(30 * 24 * 3600).default(8 * 3600),
  // A session ends this long after sign-in however often it is used (the cookie renews; this does not).
  SESSION_ABSOLUTE_MAX_SECONDS: z.coerce.number().int().min(300).max(30 * 24 * 3600).default(12 * 3600),
  // How often a session's role is re-read from the IdP (userinfo), so a removed group takes effect.
  SESSION_REFRESH_SECONDS: z.coerce.number().int().min(1).max(24 * 3600).default(300),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  TYK_DASHBOARD_URL: optionalUrl,
  TYK_DASHBOARD_API_KEY: z.string().min(1).optional(),
  TYK_ANALYTICS_DATABASE_URL: optionalUrl,
  TYK_AUDIT_LOG: z.enum(["auto", "on", "off"]).default("auto"),
  TYK_SYNC_INTERVAL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(60),
  // Per-stage time budgets; unset: derived from each stage's recent runs (lib/sync/budget.ts).
  TYK_SYNC_BUDGET_SECONDS: budgetSeconds,
  ANALYTICS_SYNC_BUDGET_SECONDS: budgetSeconds,
  TRACES_SYNC_BUDGET_SECONDS: budgetSeconds,
  // Request records are kept this many days (whole day partitions dropped); the per-minute and
  // per-hour aggregates much longer.
  RAW_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  AGGREGATE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(400),
  TRACE_BACKEND: z.enum(["lightstep", "none"]).default("lightstep"),
  LIGHTSTEP_API_URL: z.url().default("https://api.lightstep.com"),
  LIGHTSTEP_ORG: z.string().min(1).optional(),
  LIGHTSTEP_PROJECT: z.string().min(1).optional(),
  LIGHTSTEP_API_KEY: z.string().min(1).optional(),
  LIGHTSTEP_SERVICE: z.string().min(1).default("tyk-gateway"),
  TRACE_UI_URL: z.url().default("https://app.lightstep.com"),
  TOUCHLINE_SYNC_ON_START: bool.default(true),
  // How often automatic limit mode looks for endpoints due an evaluation (each has its own interval, default 5 min).
  LIMITS_AUTO_INTERVAL_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  // 32 random bytes (base64 or hex) sealing stored connection secrets; lib/security/secret-box.ts checks the length.
  TOUCHLINE_ENCRYPTION_KEY: z.string().min(32).optional(),
  TOUCHLINE_ENCRYPTION_KEY_PREVIOUS: z.string().min(32).optional(),
  // 32 random bytes keying the audit chain's HMAC and signing its checkpoints (lib/audit/keys.ts checks the length).
  TOUCHLINE_AUDIT_KEY: z.string().min(32).optional(),
  TOUCHLINE_AUDIT_KEY_PREVIOUS: z.string().min(32).optional(),
  TOUCHLINE_AUDIT_CHECKPOINT_DIR: z.string().min(1).optional(),
  // Comma list of IPs/CIDRs of the reverse proxies in front of the console: only their X-Forwarded-For is believed.
  TRUSTED_PROXIES: z.string().optional().superRefine((v, ctx) => {
    try {
      parseTrustedProxies(v);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: (err as Error).message.replace(/^TRUSTED_PROXIES: /, "") });
    }
  }),
  TOUCHLINE_AUDIT_CHECKPOINT_SECONDS: z.coerce.number().int().min(10).max(86_400).default(300),
  // Access hygiene, rotations and just-in-time access (lib/access/config.ts).
  HYGIENE_ROTATION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  HYGIENE_UNUSED_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  HYGIENE_USAGE_REFRESH_SECONDS: z.coerce.number().int().min(30).max(86_400).default(300),
  ROTATION_GRACE_HOURS: z.coerce.number().min(0).max(720).default(24),
  ACCESS_REQUEST_MAX_MINUTES: z.coerce.number().int().min(5).max(10_080).default(480),
  ACCESS_REQUEST_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  ACCESS_WEBHOOK_URL: z.url().refine((u) => /^https?:\/\//i.test(u), "must be an http(s) URL").optional(),
  INCIDENT_WEBHOOK_URL: z.url().refine((u) => /^https?:\/\//i.test(u), "must be an http(s) URL").optional(),
  ACCESS_JOB_INTERVAL_SECONDS: z.coerce.number().int().min(5).max(3600).default(30),
});

export type Env = z.infer<typeof envSchema>;

/** Parses `source`; throws one Error whose message names every bad variable on one line. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings count as unset: `FOO=` in a .env file should fall back to the default.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration — ${problems.join("; ")}`);
  }
  return result.data;
}

let cached: Env | undefined;

/** The validated configuration, read once per process. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
