import { describe, expect, it } from "vitest";
import type { Trace, TraceSpan } from "@/lib/traces/trace-source";
import { buildWaterfall, displayKeyValue, identityHighlights, redactAttributes, traceDeepLink } from "./traces-model";

const span = (spanId: string, parentSpanId: string | null, startMs: number, endMs: number, extra: Partial<TraceSpan> = {}): TraceSpan => ({
  spanId, parentSpanId, service: "svc", name: spanId, startUs: startMs * 1000, endUs: endMs * 1000, isError: false, attributes: {}, ...extra,
});

describe("buildWaterfall", () => {
  it("orders spans as a tree with depth, offsets and widths relative to the trace", () => {
    const trace: Trace = {
      traceId: "t",
      spans: [span("child-b", "root", 60, 90), span("root", null, 0, 100), span("grandchild", "child-a", 20, 30), span("child-a", "root", 10, 50, { isError: true })],
    };
    const w = buildWaterfall(trace);
    expect(w.durationMs).toBe(100);
    expect(w.rows.map((r) => [r.spanId, r.depth])).toEqual([["root", 0], ["child-a", 1], ["grandchild", 2], ["child-b", 1]]);
    const a = w.rows[1];
    expect(a).toMatchObject({ offsetMs: 10, durationMs: 40, left: 0.1, width: 0.4, isError: true });
  });

  it("keeps orphans (parent not in the trace) and survives cycles", () => {
    const w = buildWaterfall({ traceId: "t", spans: [span("a", "missing", 0, 10), span("x", "y", 1, 2), span("y", "x", 2, 3)] });
    expect(w.rows.map((r) => r.spanId).sort()).toEqual(["a", "x", "y"]);
    expect(buildWaterfall({ traceId: "t", spans: [] }).rows).toEqual([]);
  });

  it("redacts the key attribute on every span", () => {
    const w = buildWaterfall({ traceId: "t", spans: [span("r", null, 0, 1, { attributes: { "tyk.api.apikey": "5e9d9544a1dcd60001d0ed20a6ab77653d5da938f452bb8cc9b3bf2a" } })] });
    expect(JSON.stringify(w)).not.toContain("a6ab77653d5da938f452bb8cc9b3bf2a");
    expect(w.rows[0].attributes["tyk.api.apikey"]).toBe("•••• (raw key hidden)");
  });
});

describe("identity attributes", () => {
  const hash = "a".repeat(32);
  it("shortens a key hash and hides a raw key", () => {
    expect(displayKeyValue(hash)).toBe("aaaaaaaa…");
    expect(displayKeyValue("5e9d9544a1dcd60001d0ed20secret")).not.toContain("secret");
    expect(redactAttributes({ "tyk.api.apikey": hash, other: 1 })).toEqual({ "tyk.api.apikey": "aaaaaaaa…", other: 1 });
  });

  it("lists the identity attributes present, in a fixed order", () => {
    const h = identityHighlights({ "deployment.environment": "production", "tyk.api.apikey": hash, "tyk.api.apikey.alias": "globex-batch", "http.method": "GET" });
    expect(h).toEqual([
      { attribute: "tyk.api.apikey.alias", label: "Key alias", value: "globex-batch" },
      { attribute: "tyk.api.apikey", label: "Key hash", value: "aaaaaaaa…" },
      { attribute: "deployment.environment", label: "Environment", value: "production" },
    ]);
  });
});

describe("traceDeepLink", () => {
  it("builds the backend UI's span link", () => {
    expect(traceDeepLink("https://app.lightstep.com/", "prod", "abc")).toBe("https://app.lightstep.com/prod/trace?span_guid=abc");
  });
});
