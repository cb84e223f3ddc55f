import { describe, expect, it } from "vitest";
import { deriveEndpoints, joinListenPath, normalizeTemplate } from "./endpoints";
import { apiDefinitionWrapperSchema } from "./schema";

describe("normalizeTemplate", () => {
  it("maps every parameter spelling to {param}", () => {
    expect(normalizeTemplate("/orders/{id}")).toBe("/orders/{param}");
    expect(normalizeTemplate("/orders/{orderId}/items/:item")).toBe("/orders/{param}/items/{param}");
    expect(normalizeTemplate("/orders/:id/")).toBe("/orders/{param}");
    expect(normalizeTemplate("//a//b")).toBe("/a/b");
    expect(normalizeTemplate("/")).toBe("/");
  });
});

describe("joinListenPath", () => {
  it("joins without doubled or trailing slashes", () => {
    expect(joinListenPath("/orders/", "/")).toBe("/orders");
    expect(joinListenPath("/orders/", "/{id}")).toBe("/orders/{id}");
    expect(joinListenPath("/orders", "items")).toBe("/orders/items");
    expect(joinListenPath("/", "/health")).toBe("/health");
    expect(joinListenPath("/", "")).toBe("/");
  });
});

describe("deriveEndpoints", () => {
  it("reads extended paths (method and method_actions) across versions and OAS paths, de-duplicated", () => {
    const w = apiDefinitionWrapperSchema.parse({
      api_definition: {
        api_id: "a1", name: "Orders", proxy: { listen_path: "/orders/" },
        version_data: {
          versions: {
            Default: {
              extended_paths: {
                white_list: [{ path: "/{id}", method_actions: { GET: { action: "no_action" }, DELETE: { action: "no_action" } } }],
                track_endpoints: [{ path: "/", method: "GET" }, { path: ":orderId", method: "get" }],
                cache: ["/"],
                hard_timeouts: [{ path: "/export", method: "GET", timeout: 30 }],
                url_rewrites: [{ path: "/old", method: "" }],
              },
            },
            v2: { extended_paths: { ignored: [{ path: "/health", method_actions: { GET: {} } }] } },
          },
        },
      },
      oas: { paths: { "/": { post: {}, parameters: [] }, "/{orderId}": { get: {} } } },
    });
    const key = (e: { method: string; path: string }) => `${e.path} ${e.method}`;
    expect(deriveEndpoints(w).map(key).sort()).toEqual([
      { method: "GET", path: "/orders" },
      { method: "POST", path: "/orders" },
      { method: "GET", path: "/orders/export" },
      { method: "GET", path: "/orders/health" },
      { method: "DELETE", path: "/orders/{id}" },
      { method: "GET", path: "/orders/{id}" },
    ].map(key).sort());
  });
});
