import { describe, expect, it } from "vitest";
import { percentile } from "./aggregates";
import { parseGroupedLatency, parseOperationQuery } from "./uql";

describe("simulator maths", () => {
  it("computes nearest-rank percentiles", () => {
    const xs = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(percentile(xs, 50)).toBe(5);
    expect(percentile(xs, 99)).toBe(10);
    expect(percentile(new Float64Array(), 50)).toBeNull();
  });
  it("parses the grouped-latency UQL the adapter sends", () => {
    const q = 'spans latency | delta | filter service == "tyk-gateway" && operation == "GET /orders" | group_by ["tyk.api.apikey.alias"], sum | point percentile(value, 99)';
    expect(parseGroupedLatency(q)).toEqual({ service: "tyk-gateway", operation: "GET /orders", attribute: "tyk.api.apikey.alias", percentile: 99 });
    expect(parseGroupedLatency("metric cpu")).toBeNull();
  });
  it("parses the service-wide queries grouped by operation, and refuses what it cannot answer", () => {
    expect(parseOperationQuery('spans latency | delta | filter service == "gw" | group_by ["operation"], sum | point percentile(value, 95)')).toEqual({
      metric: "latency", service: "gw", byError: false, percentile: 95,
    });
    expect(parseOperationQuery('spans count | delta | filter service == "gw" | group_by ["operation", "error"], sum')).toEqual({ metric: "count", service: "gw", byError: true });
    expect(parseOperationQuery('spans count | delta | filter service == "gw" | group_by ["operation", "http.route"], sum')).toBeNull();
    expect(parseOperationQuery('spans latency | delta | filter service == "gw" && operation == "GET /x" | group_by ["operation"], sum | point percentile(value, 99)')).toBeNull();
  });
});
