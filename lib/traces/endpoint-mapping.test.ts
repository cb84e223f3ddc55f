import { describe, expect, it } from "vitest";
import {
  cleanPath,
  endpointKey,
  joinListenPath,
  nextOperation,
  normalizePathTemplate,
  operationForEndpoint,
  parseOperation,
} from "./endpoint-mapping";

describe("normalizePathTemplate", () => {
  it("treats every parameter spelling the same", () => {
    for (const p of ["/orders/{id}", "/orders/{orderId}", "/orders/:id", "/orders/8812", "/orders/3f2b8c1e-9d4a-4f7b-8c2e-1a2b3c4d5e6f"]) {
      expect(normalizePathTemplate(p)).toBe("/orders/{param}");
    }
  });
  it("keeps literal segments, including short hex-looking words", () => {
    expect(normalizePathTemplate("/reports/export")).toBe("/reports/export");
    expect(normalizePathTemplate("/cafe/beef")).toBe("/cafe/beef");
    expect(normalizePathTemplate("/objs/507f1f77bcf86cd799439011")).toBe("/objs/{param}");
  });
  it("cleans slashes and query strings", () => {
    expect(cleanPath("orders//42/?x=1")).toBe("/orders/42");
    expect(cleanPath("/")).toBe("/");
  });
});

describe("joinListenPath", () => {
  it("prefixes the listen path once", () => {
    expect(joinListenPath("/orders/", "/{id}")).toBe("/orders/{id}");
    expect(joinListenPath("/orders/", "/orders/{id}")).toBe("/orders/{id}");
    expect(joinListenPath("/", "/health")).toBe("/health");
    expect(joinListenPath("/orders/", "/")).toBe("/orders");
  });
});

describe("operations", () => {
  it("parses and keys operations", () => {
    expect(parseOperation("get /orders/{id}")).toEqual({ method: "GET", path: "/orders/{id}" });
    expect(parseOperation("not an op")).toBeNull();
    expect(endpointKey("get", "/orders/:id")).toBe("GET /orders/{param}");
  });
  it("prefers the backend's spelling of an equivalent operation", () => {
    const ep = { method: "GET", path: "/orders/:orderId" };
    expect(operationForEndpoint(ep, ["POST /orders/{id}", "GET /orders/{id}"])).toBe("GET /orders/{id}");
    expect(operationForEndpoint(ep, [])).toBe("GET /orders/:orderId");
    expect(operationForEndpoint({ method: "GET", path: "/orders" }, ["GET /orders/{id}"])).toBe("GET /orders");
  });
  it("never overrides a manual mapping and reports no change when already right", () => {
    expect(nextOperation({ method: "GET", path: "/orders", operation: "custom", mappingSource: "manual" })).toBeNull();
    expect(nextOperation({ method: "GET", path: "/orders", operation: "GET /orders", mappingSource: "auto" })).toBeNull();
    expect(nextOperation({ method: "GET", path: "/orders", operation: null, mappingSource: "auto" })).toBe("GET /orders");
  });
});
