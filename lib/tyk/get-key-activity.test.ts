import { describe, expect, it } from "vitest";
import { aggregateAnalyticsSchema, getKeyActivity, toActivityHour } from "./get-key-activity";
import type { TykClient, TykRequest } from "./client";

// The spec's own example body for this endpoint (tyk-docs dashboard-swagger.yml), with the time
// bucket filled in as an hourly query returns it.
const specExample = {
  data: [
    {
      error: 4, hits: 31,
      id: { alias: "", api_id: "41351a6a94094da05f75146a695a16f6", api_name: "Keyless", code: 404, day: 19, hour: 7,
        iso_country: "", key: "", month: 6, path: "/anything", url: "", year: 2024 },
      last_hit: "2024-06-19T07:11:39Z", latency: 0, max_latency: 0, max_upstream_latency: 0, min_latency: 0,
      min_upstream_latency: 0, request_time: 174.5, success: 27, upstream_latency: 0,
    },
  ],
  pages: 1,
};

describe("aggregateAnalyticsSchema / toActivityHour", () => {
  it("reads the spec-shaped body into an hourly bucket", () => {
    const body = aggregateAnalyticsSchema.parse(specExample);
    expect(body.pages).toBe(1);
    expect(toActivityHour(body.data[0])).toEqual({
      hour: new Date("2024-06-19T07:00:00Z"), hits: 31, success: 27, errors: 4, avgRequestMs: 174.5,
      lastHit: new Date("2024-06-19T07:11:39Z"),
    });
  });

  it("takes data: null as empty, omitted counters as 0, and rejects a missing data field", () => {
    expect(aggregateAnalyticsSchema.parse({ data: null, pages: 0 }).data).toEqual([]);
    const unit = aggregateAnalyticsSchema.parse({ data: [{ id: { year: 2024, month: 6, day: 19, hour: 3 } }] }).data[0];
    expect(toActivityHour(unit)).toMatchObject({ hits: 0, errors: 0, success: 0, avgRequestMs: null, lastHit: null });
    expect(aggregateAnalyticsSchema.safeParse({ pages: 1 }).success).toBe(false);
    expect(aggregateAnalyticsSchema.safeParse({ data: [{ hits: "3" }] }).success).toBe(false);
  });

  it("drops units whose id carries no date (grouped by path, as the spec's example literally is)", () => {
    const unit = aggregateAnalyticsSchema.parse({ data: [{ ...specExample.data[0], id: { ...specExample.data[0].id, year: 0, month: 0, day: 0 } }] }).data[0];
    expect(toActivityHour(unit)).toBeNull();
  });
});

describe("getKeyActivity", () => {
  it("asks for whole UTC days with res=hour, walks pages, and cuts to [from, to)", async () => {
    const seen: string[] = [];
    const unit = (hour: number, hits: number) => ({ hits, success: hits, error: 0, request_time: 10, id: { year: 2026, month: 3, day: 1, hour } });
    const client: TykClient = {
      baseUrl: "http://x",
      async request<T>(req: TykRequest<T>): Promise<T> {
        seen.push(`${req.path}?res=${req.query?.res}&p=${req.query?.p}`);
        const pages = [[unit(1, 5), unit(2, 6)], [unit(3, 7), unit(9, 8)]];
        return req.schema.parse({ data: pages[Number(req.query?.p) - 1], pages: 2 });
      },
    };
    const out = await getKeyActivity(client, "abc/def", { from: new Date("2026-03-01T02:30:00Z"), to: new Date("2026-03-01T05:00:00Z") });
    expect(seen).toEqual(["/api/activity/keys/abc%2Fdef/1/3/2026/1/3/2026?res=hour&p=1", "/api/activity/keys/abc%2Fdef/1/3/2026/1/3/2026?res=hour&p=2"]);
    expect(out.map((h) => [h.hour.toISOString(), h.hits])).toEqual([["2026-03-01T02:00:00.000Z", 6], ["2026-03-01T03:00:00.000Z", 7]]);
  });
});
