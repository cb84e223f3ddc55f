import { describe, expect, it } from "vitest";
import { allowTraceCall, createUserRateLimit, scrubRawKeys } from "./traces-allowlist";

describe("allowTraceCall", () => {
  it("lets the four read-only calls through with their parameters", () => {
    expect(allowTraceCall("GET", ["services"], { limit: "50" })).toEqual({ ok: true, call: { path: "/directory/services", query: { limit: "50" } } });
    expect(allowTraceCall("GET", ["streams"], {})).toEqual({ ok: true, call: { path: "/streams", query: {} } });
    const ts = allowTraceCall("GET", ["streams", "stream-1", "timeseries"], {
      "oldest-time": "2026-11-26T10:00:00Z", "youngest-time": "2026-11-26T11:00:00Z", "resolution-ms": "60000", percentile: ["50", "99"], "include-exemplars": "1",
    });
    expect(ts).toMatchObject({ ok: true, call: { path: "/streams/stream-1/timeseries", query: { percentile: ["50", "99"], "resolution-ms": "60000" } } });
    expect(allowTraceCall("GET", ["stored-traces"], { "span-id": "abc123" })).toEqual({ ok: true, call: { path: "/stored-traces", query: { "span-id": "abc123" } } });
  });

  it("is a 404 for anything else: other paths, writes, path tricks", () => {
    for (const [method, segs] of [
      ["GET", ["projects"]], ["POST", ["streams"]], ["DELETE", ["streams", "x"]], ["GET", ["streams", "x"]],
      ["GET", ["streams", "..", "timeseries"]], ["GET", ["streams", "a/b", "timeseries"]], ["GET", []], ["GET", ["telemetry", "query_timeseries"]],
      ["GET", ["services", "extra"]],
    ] as [string, string[]][]) {
      expect(allowTraceCall(method, segs, {})).toMatchObject({ ok: false, status: 404 });
    }
  });

  it("is a 400 naming the parameter when a query parameter is unknown, repeated, bad or missing", () => {
    expect(allowTraceCall("GET", ["streams"], { limit: "5" })).toMatchObject({ ok: false, status: 400, field: "limit" });
    expect(allowTraceCall("GET", ["services"], { limit: ["5", "6"] })).toMatchObject({ ok: false, status: 400, field: "limit" });
    expect(allowTraceCall("GET", ["services"], { limit: "5000" })).toMatchObject({ ok: false, status: 400, field: "limit" });
    expect(allowTraceCall("GET", ["stored-traces"], {})).toMatchObject({ ok: false, status: 400, field: "span-id" });
    expect(allowTraceCall("GET", ["stored-traces"], { "span-id": "x&y=1" })).toMatchObject({ ok: false, status: 400 });
    expect(allowTraceCall("GET", ["streams", "s", "timeseries"], { "oldest-time": "yesterday", "youngest-time": "2026-11-26T11:00:00Z" })).toMatchObject({ ok: false, field: "oldest-time" });
  });
});

describe("createUserRateLimit", () => {
  it("allows perMinute calls per user per window, separately per user", () => {
    let t = 0;
    const rl = createUserRateLimit({ perMinute: 2, now: () => t });
    expect(rl.take("a").ok).toBe(true);
    expect(rl.take("a").ok).toBe(true);
    t = 10_000;
    expect(rl.take("a")).toEqual({ ok: false, retryAfterMs: 50_000 });
    expect(rl.take("b").ok).toBe(true);
    t = 60_000;
    expect(rl.take("a").ok).toBe(true);
  });
});

describe("scrubRawKeys", () => {
  it("redacts raw keys in span tags and keeps hashes", () => {
    const body = { data: [{ attributes: { spans: [{ tags: { "tyk.api.apikey": "5e9d9544a1dcd60001d0ed20a6ab7765secret", a: 1 } }, { tags: { "tyk.api.apikey": "deadbeef" } }] } }] };
    expect(JSON.stringify(scrubRawKeys(body))).not.toContain("secret");
    expect(scrubRawKeys(body)).toEqual({ data: [{ attributes: { spans: [{ tags: { "tyk.api.apikey": "[redacted]", a: 1 } }, { tags: { "tyk.api.apikey": "deadbeef" } }] } }] });
  });
});
