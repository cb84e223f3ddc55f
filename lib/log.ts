import pino from "pino";

// Field names that may carry a secret anywhere in a log object. pino replaces them before
// serialising, so a careless `log.info({ config })` cannot leak a key.
export const REDACT_PATHS = [
  "apiKey", "*.apiKey", "key", "*.key", "rawKey", "*.rawKey", "token", "*.token", "secret", "*.secret",
  "password", "*.password", "authorization", "*.authorization", "headers.authorization", "*.headers.authorization",
  "cookie", "*.cookie", "headers.cookie", "clientSecret", "*.clientSecret", "connectionString", "*.connectionString",
  "TYK_DASHBOARD_API_KEY", "LIGHTSTEP_API_KEY", "NEXTAUTH_SECRET", "OIDC_CLIENT_SECRET", "DATABASE_URL", "TYK_ANALYTICS_DATABASE_URL",
  "TOUCHLINE_ENCRYPTION_KEY", "TOUCHLINE_ENCRYPTION_KEY_PREVIOUS", "*.TOUCHLINE_ENCRYPTION_KEY", "*.TOUCHLINE_ENCRYPTION_KEY_PREVIOUS",
  "ACCESS_WEBHOOK_URL", "*.ACCESS_WEBHOOK_URL",
];

export function createLogger(destination?: pino.DestinationStream) {
  return pino(
    {
      level: process.env.LOG_LEVEL ?? "info",
      base: { service: "touchline" },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    // Command-line tools keep stdout for their answers (LOG_DESTINATION=stderr).
    destination ?? (process.env.LOG_DESTINATION === "stderr" ? pino.destination(2) : undefined),
  );
}

const holder = globalThis as unknown as { touchlineLog?: pino.Logger };
export const log: pino.Logger = (holder.touchlineLog ??= createLogger());
