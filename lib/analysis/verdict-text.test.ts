import { describe, expect, it } from "vitest";
import { summarise } from "./verdict-text";
import type { VerdictContext } from "./types";

const T = Date.UTC(2026, 10, 19, 9, 12);
const context = (extra: Partial<VerdictContext> = {}): VerdictContext => ({
  callersSlowed: { fraction: 1, factor: 3.5 }, load: { ratePerMinBefore: 180, ratePerMinAfter: 182, rejectedPerMinBefore: 0, rejectedPerMinAfter: 0 },
  errorRate: { before: 0.002, after: 0.002 }, deploys: [], ...extra,
});

describe("the verdict when nothing explains the spike", () => {
  it("says so plainly, how much every caller slowed and when, and where to look", () => {
    expect(summarise([], [], "slowdown", "p99", 180, 630, context(), T))
      .toBe("No caller, key or access change explains this; all callers slowed ×3.5 at 09:12 UTC with the same load — look at the upstream or a deploy.");
  });

  it("names what else moved at that minute: a deploy, the upstream's own latency, errors, rejections", () => {
    const text = summarise([], [], "slowdown", "p99", 180, 630, context({
      deploys: [{ id: "d", label: "orders-service v2.14.0", at: T - 60_000, minutesFromStart: -1 }],
      latencySplit: { upstreamBefore: 170, upstreamAfter: 610, gatewayBefore: 3, gatewayAfter: 3 },
      errorRate: { before: 0.002, after: 0.04 },
      load: { ratePerMinBefore: 180, ratePerMinAfter: 182, rejectedPerMinBefore: 2, rejectedPerMinAfter: 560 },
    }), T);
    expect(text).toMatch(/— look at that deploy or the upstream\. What else changed then: the deploy of orders-service v2\.14\.0 at 09:11 UTC/);
    expect(text).toMatch(/the upstream's own p99 rose 170 ms → 610 ms \(Tyk Pump's latency_upstream\)/);
    expect(text).toMatch(/5xx rose 0% → 4% of served requests/);
    expect(text).toMatch(/requests Tyk rejected \(429\/403\) rose 2 → 560\/min, which never reached the upstream/);
  });

  it("falls back to the percentile's rise when callers did not slow alike", () => {
    expect(summarise([], [], "mixed", "p99", 180, 630, context({ callersSlowed: { fraction: 0.3, factor: 2 } }), T)).toMatch(/^No caller, key or access change explains this; p99 rose from 180 ms to 630 ms at 09:12 UTC/);
  });
});
