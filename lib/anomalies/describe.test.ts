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

  it("tells slower (a latency change) from louder (a volume change), and says which way", () => {
    expect(describeAnomaly({ typeLabel: "Policy kiosk-fleet", metric: "volume", value: 40, baseline: 10 }, "POST /l"))
      .toBe("Policy kiosk-fleet got louder (4.0×) on POST /l: 40.0 requests/min against 10.0 usually");
    expect(describeAnomaly({ typeLabel: "Policy kiosk-fleet", metric: "p99", value: 50, baseline: 200 }, "POST /l"))
      .toBe("Policy kiosk-fleet got faster (÷4.0) on POST /l: p99 50 ms against 200 ms usually");
    expect(describeAnomaly({ typeLabel: "People", metric: "error_rate", value: 0.01, baseline: 0.05 }, "GET /z"))
      .toBe("People got fewer errors (÷5.0) on GET /z: 1.0% 5xx against 5.0% usually");
    expect(describeAnomaly({ typeLabel: "People", metric: "volume", value: 3, baseline: 0 }, "GET /z")).toBe("People got louder (new) on GET /z: 3.0 requests/min against 0.0 usually");
  });
});
