import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileEndpoints, matchEndpoint, parseTemplate, templatePattern, withListenPath, type EndpointTemplate } from "./match-endpoint";

const endpoints: EndpointTemplate[] = [
  { id: "orders-list", apiId: "orders", method: "GET", path: "/orders" },
  { id: "orders-get", apiId: "orders", method: "GET", path: "/orders/{id}" },
  { id: "orders-export", apiId: "orders", method: "GET", path: "/orders/export" },
  { id: "orders-items", apiId: "orders", method: "GET", path: "/orders/:id/items" },
  { id: "orders-put", apiId: "orders", method: "PUT", path: "/orders/{id}" },
  { id: "files", apiId: "files", method: "GET", path: "/files/*" },
  { id: "files-meta", apiId: "files", method: "GET", path: "/files/{id}/meta" },
];
const m = compileEndpoints(endpoints);

describe("matchEndpoint", () => {
  it("matches a concrete id to its template", () => {
    expect(m.match("orders", "GET", "/orders/8812")).toBe("orders-get");
    expect(matchEndpoint(endpoints, { apiId: "orders", method: "GET", path: "/orders/8812" })).toBe("orders-get");
  });

  it("prefers a literal segment over a parameter", () => {
    expect(m.match("orders", "GET", "/orders/export")).toBe("orders-export");
  });

  it("keys on API and method", () => {
    expect(m.match("orders", "PUT", "/orders/1")).toBe("orders-put");
    expect(m.match("orders", "DELETE", "/orders/1")).toBeNull();
    expect(m.match("payments", "GET", "/orders/1")).toBeNull();
    expect(m.match("orders", "get", "/orders/1")).toBe("orders-get");
  });

  it("requires the whole path to match, ignoring a trailing slash and the query", () => {
    expect(m.match("orders", "GET", "/orders")).toBe("orders-list");
    expect(m.match("orders", "GET", "/orders/")).toBe("orders-list");
    expect(m.match("orders", "GET", "/orders/1?x=2")).toBe("orders-get");
    expect(m.match("orders", "GET", "/orders/1/items")).toBe("orders-items");
    expect(m.match("orders", "GET", "/orders/1/items/2")).toBeNull();
    expect(m.match("orders", "GET", "/ordersx/1")).toBeNull();
  });

  it("lets a wildcard take the rest, below more specific templates", () => {
    expect(m.match("files", "GET", "/files/a/b/c")).toBe("files");
    expect(m.match("files", "GET", "/files/a/meta")).toBe("files-meta");
  });

  it("puts the listen path back when Tyk stripped it", () => {
    expect(m.match("orders", "GET", "/8812", "/orders/")).toBe("orders-get");
    expect(m.match("orders", "GET", "/orders/8812", "/orders/")).toBe("orders-get");
  });
});

describe("helpers", () => {
  it("withListenPath", () => {
    expect(withListenPath("/1", "/orders/")).toBe("/orders/1");
    expect(withListenPath("/orders/1", "/orders/")).toBe("/orders/1");
    expect(withListenPath("/", "/orders/")).toBe("/orders");
    expect(withListenPath("/x", "/")).toBe("/x");
  });

  it("parseTemplate", () => {
    expect(parseTemplate("/a/{b}/:c/*")).toEqual([
      { kind: "literal", text: "a" },
      { kind: "param" },
      { kind: "param" },
      { kind: "rest" },
    ]);
  });
});

describe("templatePattern", () => {
  // The segment rules the expressions compile: split on "/", drop empty segments and the query.
  function reference(template: string, path: string): boolean {
    const split = (p: string) => (p.split("?")[0] ?? "").split("/").filter((s) => s !== "");
    const segs = parseTemplate(template);
    const parts = split(path);
    for (let i = 0; i < segs.length; i++) {
      if (segs[i].kind === "rest") return parts.length >= i;
      if (parts[i] === undefined) return false;
      const seg = segs[i];
      if (seg.kind === "literal" && seg.text !== parts[i]) return false;
    }
    return parts.length === segs.length;
  }

  it("agrees with the segment rules on arbitrary templates and paths", () => {
    const segment = fc.constantFrom("a", "b", "a.b", "x+y", "{id}", ":id", "*", "{rest*}", "");
    const template = fc.array(segment, { maxLength: 4 }).map((s) => "/" + s.join("/"));
    const pathPart = fc.constantFrom("a", "b", "a.b", "x+y", "1", "", "?q=1", "?q=/a/b", "a?x");
    const path = fc.array(pathPart, { maxLength: 5 }).map((s) => "/" + s.join("/"));
    fc.assert(
      fc.property(template, path, (t, p) => templatePattern(parseTemplate(t)).test(p) === reference(t, p)),
      { numRuns: 5000 },
    );
  });
});
