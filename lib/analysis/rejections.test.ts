import { describe, expect, it } from "vitest";
import { isGatewayRejection } from "./rejections";

describe("isGatewayRejection", () => {
  it("counts 429s and refusals without upstream time as the gateway's own answers", () => {
    expect(isGatewayRejection(429, 12)).toBe(true);
    expect(isGatewayRejection(403, 0)).toBe(true);
    expect(isGatewayRejection(401, null)).toBe(true);
  });
  it("counts upstream answers as served, errors included", () => {
    expect(isGatewayRejection(403, 35)).toBe(false);
    expect(isGatewayRejection(200, 0)).toBe(false);
    expect(isGatewayRejection(503, 900)).toBe(false);
  });
});
