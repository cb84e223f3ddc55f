import { describe, expect, it } from "vitest";
import { describeAnomaly } from "./describe";

describe("describeAnomaly", () => {
  it("says who, how much, where", () => {
    expect(describeAnomaly({ typeLabel: "Policy partner-gold", metric: "p99", value: 412, baseline: 98 }, "GET /orders"))
      .toBe("Policy partner-gold got 4.2× slower on GET /orders: p99 412 ms against 98 ms usually");
    expect(describeAnomaly({ typeLabel: "No identity", metric: "error_rate", value: 0.08, baseline: 0.004 }, "POST /x"))
      .toBe("No identity got 20.0× more errors on POST /x: 8.0% 5xx against 0.4% usually");
    expect(describeAnomaly({ typeLabel: "Services", metric: "volume", value: 2, baseline: 10 }, "GET /y"))
      .toBe("Services got quieter (÷5.0) on GET /y: 2.0 requests/min against 10.0 usually");
  });
});
