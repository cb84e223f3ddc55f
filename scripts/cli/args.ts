// Argument parsing for `npm run touchline -- …` (pure: no I/O, so it is unit-tested).
import { parseArgs } from "node:util";

export class UsageError extends Error {}

export const USAGE = `touchline — Touchline from the command line

Using the API (token from TOUCHLINE_TOKEN or --token, server from TOUCHLINE_URL or --url):
  investigate --endpoint <id | "GET /orders"> [--from ISO --to ISO]
  incidents list
  incidents create --endpoint <id | "GET /orders"> --from ISO --to ISO --title TEXT [--severity sev1|sev2|sev3|sev4]

Managing tokens (runs against DATABASE_URL directly, audited as actor "system"):
  tokens create --name NAME --scope SCOPE [--scope SCOPE …] [--expires 30d|never]
  tokens list
  tokens revoke <id>

Options: --json (machine-readable output), --help`;

export interface Remote {
  url: string;
  token: string;
}

export type Command =
  | { cmd: "help" }
  | { cmd: "investigate"; remote: Remote; endpoint: string; from?: string; to?: string; json: boolean }
  | { cmd: "incidents.list"; remote: Remote; json: boolean }
  | { cmd: "incidents.create"; remote: Remote; endpoint: string; from: string; to: string; title: string; severity: string; json: boolean }
  | { cmd: "tokens.create"; name: string; scopes: string[]; expires: string; json: boolean }
  | { cmd: "tokens.list"; json: boolean }
  | { cmd: "tokens.revoke"; id: string; json: boolean };

const OPTIONS = {
  url: { type: "string" },
  token: { type: "string" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
  endpoint: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  title: { type: "string" },
  severity: { type: "string" },
  name: { type: "string" },
  scope: { type: "string", multiple: true },
  expires: { type: "string" },
} as const;

const SEVERITIES = ["sev1", "sev2", "sev3", "sev4"];

function need<T>(value: T | undefined, flag: string): T {
  if (value === undefined || value === "") throw new UsageError(`missing --${flag}`);
  return value;
}

function isoTime(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new UsageError(`--${flag}: expected an ISO 8601 time with a zone, e.g. 2026-11-26T10:00:00Z`);
  }
  return new Date(value).toISOString();
}

function remote(v: { url?: string; token?: string }, env: Record<string, string | undefined>): Remote {
  const url = v.url ?? env.TOUCHLINE_URL;
  const token = v.token ?? env.TOUCHLINE_TOKEN;
  if (!url) throw new UsageError("no server: set TOUCHLINE_URL or pass --url");
  if (!token) throw new UsageError("no token: set TOUCHLINE_TOKEN or pass --token (an admin creates one in Settings → API tokens)");
  return { url: serverUrl(url), token };
}

/**
 * The console's base URL from what a person types: "https://touchline.example.com", or without a
 * scheme "localhost:3000" (http for this machine, https for any other host). Anything that is not
 * an http(s) URL is refused with what was expected.
 */
export function serverUrl(raw: string): string {
  const text = raw.trim();
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  const local = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/i.test(text);
  let url: URL;
  try {
    url = new URL(hasScheme ? text : `${local ? "http" : "https"}://${text}`);
  } catch {
    throw new UsageError(`--url: not a URL: ${raw} (expected e.g. https://touchline.example.com or localhost:3000)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`--url: ${url.protocol}// is not http or https: ${raw}`);
  if (!url.hostname) throw new UsageError(`--url: no host in ${raw}`);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

/** Parses argv (without node and the script) into one command; throws UsageError with a readable message. */
export function parseCommand(argv: string[], env: Record<string, string | undefined> = {}): Command {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values: v, positionals: [group, action, ...rest] } = parsed;
  if (v.help || !group || group === "help") return { cmd: "help" };
  const json = v.json ?? false;
  const pair = v.from !== undefined || v.to !== undefined;

  switch (`${group}${action && group !== "investigate" ? `.${action}` : ""}`) {
    case "investigate": {
      if (action) throw new UsageError(`investigate takes no positional argument (got "${action}"); use --endpoint`);
      if (pair && (v.from === undefined || v.to === undefined)) throw new UsageError("--from and --to go together");
      return { cmd: "investigate", remote: remote(v, env), endpoint: need(v.endpoint, "endpoint"), from: isoTime(v.from, "from"), to: isoTime(v.to, "to"), json };
    }
    case "incidents.list":
      return { cmd: "incidents.list", remote: remote(v, env), json };
    case "incidents.create": {
      const severity = v.severity ?? "sev2";
      if (!SEVERITIES.includes(severity)) throw new UsageError(`--severity: one of ${SEVERITIES.join(", ")}`);
      const from = isoTime(need(v.from, "from"), "from")!;
      const to = isoTime(need(v.to, "to"), "to")!;
      if (Date.parse(to) <= Date.parse(from)) throw new UsageError("--to must be after --from");
      return { cmd: "incidents.create", remote: remote(v, env), endpoint: need(v.endpoint, "endpoint"), from, to, title: need(v.title, "title"), severity, json };
    }
    case "tokens.create": {
      const scopes = (v.scope ?? []).flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean);
      if (!scopes.length) throw new UsageError("missing --scope (e.g. --scope read --scope incidents:write)");
      return { cmd: "tokens.create", name: need(v.name, "name"), scopes, expires: v.expires ?? "30d", json };
    }
    case "tokens.list":
      return { cmd: "tokens.list", json };
    case "tokens.revoke":
      return { cmd: "tokens.revoke", id: need(rest[0] ?? undefined, "id (tokens revoke <id>)"), json };
    default:
      throw new UsageError(`unknown command "${[group, action].filter(Boolean).join(" ")}"`);
  }
}
