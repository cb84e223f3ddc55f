import { describe, expect, it } from "vitest";
import { compileEndpoints } from "./match-endpoint";
import { KeyTable } from "./key-table";
import { QUERY_COLUMNS, RECORD_COLUMNS, normaliseKeyHash, parseAnalyticsTags, pgTextArray, sha256Hex, toRecordLine, toRequestRecord, type PumpRow } from "./transform";

const HASH = "a".repeat(64);

describe("parseAnalyticsTags", () => {
  it("reads policy, key and trace tags from the pump's JSON text", () => {
    const tags = JSON.stringify(["pol-gold", "key-abc", "trace-id-0AF7651916CD43DD8448EB211C80319C", "pol-silver", "pol-gold", "env"]);
    expect(parseAnalyticsTags(tags)).toEqual({
      policyIds: ["gold", "silver"],
      keyHash: "abc",
      traceId: "0af7651916cd43dd8448eb211c80319c",
    });
  });

  it("reads the pump's JSON form on its fast path exactly as JSON.parse would", () => {
    for (const tags of [["pol-a", "key-b"], ["a, b", "pol-c"], ['say "hi"', "pol-d"], ["pol-é"], [""]]) {
      const viaJson = parseAnalyticsTags(JSON.stringify(tags, null, 1));
      expect(parseAnalyticsTags(JSON.stringify(tags))).toEqual(viaJson);
    }
    expect(parseAnalyticsTags('["pol-a", "pol-b"]').policyIds).toEqual(["a", "b"]);
  });

  it("tolerates empty, null, malformed and array-literal forms", () => {
    const none = { policyIds: [], keyHash: null, traceId: null };
    expect(parseAnalyticsTags(null)).toEqual(none);
    expect(parseAnalyticsTags("")).toEqual(none);
    expect(parseAnalyticsTags("[]")).toEqual(none);
    expect(parseAnalyticsTags("[not json")).toEqual(none);
    expect(parseAnalyticsTags('{pol-a,"key-b"}')).toEqual({ policyIds: ["a"], keyHash: "b", traceId: null });
  });
});

describe("normaliseKeyHash", () => {
  it("keeps sha256 hashes and hashes Touchline already knows", () => {
    expect(normaliseKeyHash(HASH, new Set())).toBe(HASH);
    expect(normaliseKeyHash("e3b0c442", new Set(["e3b0c442"]))).toBe("e3b0c442");
  });

  it("never returns a raw key: it stores its sha256", () => {
    const raw = "5e9d9544a1dcd60001d0ed20a1b2c3d4e5f6";
    expect(normaliseKeyHash(raw, new Set())).toBe(sha256Hex(raw));
    expect(normaliseKeyHash(raw, new Set())).not.toContain(raw);
  });

  it("treats an empty key as keyless", () => {
    expect(normaliseKeyHash("", new Set())).toBeNull();
    expect(normaliseKeyHash(null, new Set())).toBeNull();
  });
});

describe("toRequestRecord", () => {
  const matcher = compileEndpoints([{ id: "ep1", apiId: "orders", method: "GET", path: "/orders/{id}" }]);
  const row: PumpRow = {
    source_id: "0123456789abcdef0123456789abcdef",
    timestamp: "2026-11-26 04:30:00.123456+00",
    method: "get",
    path: "/orders/8812",
    responsecode: "200",
    apikey: HASH,
    apiid: "orders",
    oauthid: "",
    requesttime: "181",
    latency_upstream: "170",
    tags: JSON.stringify(["pol-gold", `key-${HASH}`, "trace-id-abc"]),
    listenpath: "/orders/",
  };

  it("maps the pump columns", () => {
    expect(toRequestRecord(row, matcher, new KeyTable())).toMatchObject({
      ts: "2026-11-26 04:30:00.123456+00",
      endpointId: "ep1",
      apiId: "orders",
      method: "GET",
      path: "/orders/8812",
      status: 200,
      latencyMs: 181,
      upstreamMs: 170,
      keyHash: HASH,
      oauthClientId: null,
      policyIds: ["gold"],
      traceId: "abc",
    });
  });

  it("falls back to latency_total and to the key tag", () => {
    const r = toRequestRecord({ ...row, requesttime: null, latency_total: 99, apikey: "" }, matcher, new KeyTable());
    expect(r?.latencyMs).toBe(99);
    expect(r?.keyHash).toBe(HASH);
  });

  it("skips rows with no timestamp, API or source id", () => {
    expect(toRequestRecord({ ...row, timestamp: null }, matcher, new KeyTable())).toBeNull();
    expect(toRequestRecord({ ...row, apiid: "" }, matcher, new KeyTable())).toBeNull();
    expect(toRequestRecord({ ...row, source_id: null }, matcher, new KeyTable())).toBeNull();
  });
});

describe("QUERY_COLUMNS", () => {
  it("puts the raw key first, before where the source id starts hashing", () => {
    expect(QUERY_COLUMNS[0]).toBe("apikey");
    expect(QUERY_COLUMNS.filter((c) => c === "apikey")).toHaveLength(1);
  });
});

describe("toRecordLine", () => {
  it("escapes COPY delimiters, writes NULLs and the caller id", () => {
    const r = toRequestRecord({ source_id: "-42", timestamp: "t", apiid: "a\tb", method: "GET", path: "/x\\y\nz" }, compileEndpoints([]), new KeyTable());
    const fields = toRecordLine(r!, 7).replace(/\n$/, "").split("\t");
    expect(fields).toHaveLength(RECORD_COLUMNS.length);
    expect(fields[0]).toBe("-42");
    expect(fields[3]).toBe("a\\tb");
    expect(fields[5]).toBe("/x\\\\y\\nz");
    expect(fields[2]).toBe("\\N");
    expect(fields[RECORD_COLUMNS.indexOf("caller_id")]).toBe("7");
    expect(fields[RECORD_COLUMNS.indexOf("trace_id")]).toBe("\\N");
  });
});

describe("pgTextArray", () => {
  it("quotes every element and escapes quotes and backslashes", () => {
    expect(pgTextArray([])).toBe("{}");
    expect(pgTextArray(["a", "b c"])).toBe('{"a","b c"}');
    expect(pgTextArray(['a"b', "c\\d"])).toBe('{"a\\"b","c\\\\d"}');
  });
});
