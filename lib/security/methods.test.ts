import { describe, expect, it } from "vitest";
import { refuseMethod, ROUTE_METHODS } from "./methods";

describe("refuseMethod", () => {
  it("lets the route methods through and answers 405 JSON to anything else", () => {
    for (const m of ROUTE_METHODS) expect(refuseMethod(m)).toBeNull();
    for (const m of ["TRACE", "TRACK", "PROPFIND", "MKCOL", "LOCK", "get"]) {
      const refused = refuseMethod(m)!;
      expect(refused.status).toBe(405);
      expect(refused.headers.Allow).toContain("GET");
      expect(JSON.parse(refused.body)).toMatchObject({ error: { code: "method_not_allowed" } });
    }
  });
});
