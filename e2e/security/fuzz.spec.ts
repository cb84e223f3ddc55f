import fc from "fast-check";
import { expect, request as playwrightRequest, test, type APIRequestContext } from "@playwright/test";
import { TOKEN_SCOPES } from "../../lib/auth/permissions";
import { fillPattern, isPublic, schemaFieldNames } from "../../lib/security/routes";
import { authFile } from "../fixtures";
import { allRoutes, APP_ORIGIN, consoleSnapshot, e2eEnv, REPO_ROOT, send } from "./support";

// Property-based bad input against every API route that validates input, as an admin (so every
// request reaches validation): any answer must be < 500, and every 4xx the one JSON error shape,
// a 400 naming the field; a write must refuse it; the database must be unchanged afterwards (which
// also holds the read-only POSTs to account).
const TOTAL_RUNS = Number(process.env.SECURITY_FUZZ_RUNS ?? 1200);
const WRITE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const COMMON_KEYS = ["from", "to", "limit", "cursor", "q", "id", "window", "lookback", "format", "page"];

const injection = fc.constantFrom(
  "' OR 1=1--", "\"; DROP TABLE users; --", "<script>alert(1)</script>", "../../../../etc/passwd", "${7*7}", "{{7*7}}",
  "%00", "\u0000", "\\", "$where", "__proto__", "constructor", "NaN", "Infinity", "-0", "1e308", "-1", "0x7fffffff",
  "99999999999999999999999", "-99999999999999999999", "2026-13-45T99:99:99Z", "9999-12-31T23:59:59Z", "0000-01-01", "true", "null", "[]", "{}",
);
// What reached PostgreSQL as a 500 before: LIKE wildcards and backslashes in "exact" filters,
// integers past int4/int8, years no timestamp holds.
const likeShaped = fc.oneof(
  fc.constantFrom("%", "_", "\\", "%\\", "\\%", "a%b", "_%_", "%%", "\\\\", "x\\", "'%'", "%' OR '1'='1"),
  fc.string({ unit: fc.constantFrom("%", "_", "\\", "a", "@", ".", "'"), maxLength: 12 }),
);
const intEdges = fc.constantFrom(
  "2147483647", "2147483648", "-2147483649", "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
  "18446744073709551616", "99999999999999999999999999", "1e19", "-1e19", "0x8000000000000000", "9007199254740993",
);
const extremeDates = fc.oneof(
  fc.constantFrom(
    "-270000-01-01T00:00:00Z", "-271821-04-20T00:00:00.000Z", "+275760-09-13T00:00:00.000Z", "275760-09-13", "+010000-01-01T00:00:00Z",
    "0000-01-01T00:00:00Z", "-000001-01-01T00:00:00Z", "8640000000000000", "-8640000000000000", "-62198755200000", "253402300800000",
  ),
  fc.integer({ min: -271_821, max: 275_760 }).map((y) => `${y < 0 ? "-" : "+"}${String(Math.abs(y)).padStart(6, "0")}-01-01T00:00:00Z`),
);
const numberLike = fc.oneof(fc.integer().map(String), fc.double().map(String), fc.bigInt().map(String), fc.constant("-1"), intEdges);
const UNUSUAL_METHODS = ["TRACE", "PROPFIND", "PROPPATCH", "MKCOL", "LOCK", "UNLOCK", "REPORT", "SEARCH"];
const now = Date.now();
const invertedWindow = fc.integer({ min: 1, max: 30 * 86_400_000 }).map((gap) => [new Date(now).toISOString(), new Date(now - gap).toISOString()] as const);
// URLs past ~16 kB are refused by Node before the app sees them; bodies take the huge strings.
const text = (max: number) => fc.oneof(
  fc.string({ maxLength: 40 }), fc.string({ unit: "grapheme", maxLength: 40 }), fc.string({ unit: "binary", maxLength: 20 }), injection, numberLike,
  likeShaped, extremeDates, fc.nat({ max }).map((n) => "A".repeat(n)),
);
const hugeNumbers = fc.constantFrom(2 ** 31, 2 ** 63, -(2 ** 63) - 4096, 2 ** 64, Number.MAX_SAFE_INTEGER + 2, 1e19, 8.64e15 + 1, -8.64e15 - 1);
const jsonValue = fc.oneof(text(200_000), fc.integer(), fc.double(), hugeNumbers, fc.boolean(), fc.constant(null), fc.array(text(50), { maxLength: 4 }), fc.object({ maxDepth: 2 }));

interface Case {
  method: string;
  /** A POST under a read permission (a preview, a search) only reads: garbage that happens to be valid may answer 200. */
  writes: boolean;
  pattern: string;
  fields: string[];
  inputs: { params: boolean; query: boolean; body: boolean };
}

const cases: Case[] = allRoutes()
  .filter((r) => r.kind === "api" && !isPublic(r.pattern))
  .flatMap((r) =>
    r.methods
      .filter((m) => m.permission && (m.inputs.params || m.inputs.query || m.inputs.body))
      .map((m) => ({
        method: m.method, writes: WRITE.has(m.method) && !m.permission!.endsWith(":read"), pattern: r.pattern, inputs: m.inputs, fields: schemaFieldNames(REPO_ROOT, r.file),
      })),
  );

function requestFor(c: Case) {
  const keys = [...new Set([...c.fields, ...COMMON_KEYS])];
  const query = fc.oneof(
    fc.dictionary(fc.constantFrom(...keys), fc.oneof(text(4_000), fc.array(text(100), { minLength: 2, maxLength: 3 })), { maxKeys: 4 }),
    invertedWindow.map(([from, to]) => ({ from, to })),
    fc.record({ from: extremeDates, to: extremeDates }),
    fc.dictionary(fc.constantFrom(...keys), fc.oneof(likeShaped, intEdges, extremeDates, fc.constant("me")), { minKeys: 1, maxKeys: 3 }),
  );
  const body = fc.oneof(
    jsonValue,
    fc.dictionary(fc.constantFrom(...keys), jsonValue, { maxKeys: 5 }),
    fc.constantFrom("{", "[1,", "\"unterminated", "{\"a\":}", "\u0000"),
  );
  return fc.record({
    // Now and then a method no route has: it must be a 405 JSON, never a 500.
    method: fc.oneof({ weight: 12, arbitrary: fc.constant(c.method) }, { weight: 1, arbitrary: fc.constantFrom(...UNUSUAL_METHODS) }),
    // The signed-in admin, or an API token with every scope ("me" and other person-shaped inputs differ for it).
    asToken: fc.boolean(),
    segment: fc.oneof(text(300), injection, likeShaped, intEdges),
    query: c.inputs.query ? query : fc.constant({}),
    body: c.inputs.body ? body : fc.constant(undefined),
  });
}

// "." and ".." (even percent-encoded) are dot segments: every URL parser removes them, so the request
// would go to a different route than the one under test — fuzz that route, not its neighbour.
const asSegment = (s: string) => (s === "" ? "x" : s === "." || s === ".." ? `${s}x` : s);

function urlOf(c: Case, segment: string, query: Record<string, string | string[]>): string {
  const path = fillPattern(c.pattern, (_name, catchAll) => (catchAll ? ["apis", asSegment(segment)] : asSegment(segment)));
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const item of Array.isArray(v) ? v : [v]) qs.append(k, item);
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

let admin: APIRequestContext;
let bot: APIRequestContext;
let botId: string;
test.beforeAll(async () => {
  admin = await playwrightRequest.newContext({ baseURL: APP_ORIGIN, storageState: authFile("admin") });
  const created = await send(admin, "POST", "/api/tokens", { data: { name: "fuzz-bot", scopes: Object.keys(TOKEN_SCOPES), expiresIn: "7d" } });
  expect(created.status()).toBe(201);
  const { token, tokenInfo } = (await created.json()) as { token: string; tokenInfo: { id: string } };
  botId = tokenInfo.id;
  bot = await playwrightRequest.newContext({ baseURL: APP_ORIGIN, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
});
test.afterAll(async () => {
  await send(admin, "DELETE", `/api/tokens/${botId}`);
  await Promise.all([admin.dispose(), bot.dispose()]);
});

test(`fuzzing ${TOTAL_RUNS}+ bad inputs across every validating API route: only 4xx JSON errors, database unchanged`, async () => {
  test.setTimeout(300_000);
  expect(cases.length, "routes with validated input").toBeGreaterThan(5);
  const env = e2eEnv();
  const before = await consoleSnapshot(env);
  const perRoute = Math.ceil(TOTAL_RUNS / cases.length);
  let sent = 0;
  const statuses = new Map<number, number>();
  for (const c of cases) {
    await fc.assert(
      fc.asyncProperty(requestFor(c), async ({ method, asToken, segment, query, body }) => {
        const url = urlOf(c, segment, query as Record<string, string | string[]>);
        const caller = asToken ? bot : admin;
        const res = typeof body === "string" && c.inputs.body && /^[{["\u0000]/.test(body) && body.length < 20
          ? await send(caller, method, url, { rawBody: body })
          : await send(caller, method, url, body === undefined ? {} : { rawBody: JSON.stringify(body) });
        sent++;
        const status = res.status();
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        const where = `${asToken ? "token" : "admin"} ${method} ${url.slice(0, 200)}`;
        expect(status, `${where}: never a 5xx`).toBeLessThan(500);
        if (method !== c.method) expect(status, `${where}: a method no route has`).toBe(405);
        if (c.writes) expect(status, `${where}: a write with garbage input is refused`).toBeGreaterThanOrEqual(400);
        if (status >= 400) {
          expect(res.headers()["content-type"] ?? "", `${where}: JSON error`).toContain("application/json");
          const err = ((await res.json()) as { error?: { code?: string; field?: string } }).error;
          expect(typeof err?.code, `${where}: error.code`).toBe("string");
          if (status === 400) expect(err?.field ?? "", `${where}: a 400 names the field`).not.toBe("");
        }
      }),
      { numRuns: perRoute, seed: process.env.SECURITY_FUZZ_SEED ? Number(process.env.SECURITY_FUZZ_SEED) : undefined, endOnFailure: true },
    );
  }
  console.log(`fuzz: ${sent} requests over ${cases.length} route handlers; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
  expect(sent).toBeGreaterThanOrEqual(TOTAL_RUNS);
  expect(await consoleSnapshot(env), "database unchanged by bad input").toEqual(before);
});
