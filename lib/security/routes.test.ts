import { describe, expect, it } from "vitest";
import { fillPattern, isPublic, parseRouteSource } from "./routes";

describe("parseRouteSource", () => {
  it("reads each exported handler's permission and validated inputs", () => {
    const src = `
      export const GET = apiRoute({ permission: "console:read", params, query: q }, async () => 1);
      export const POST = apiRoute(
        { permission: "settings:write", body: schema },
        async () => 2,
      );`;
    expect(parseRouteSource(src)).toEqual([
      { method: "GET", permission: "console:read", inputs: { params: true, query: true, body: false } },
      { method: "POST", permission: "settings:write", inputs: { params: false, query: false, body: true } },
    ]);
  });

  it("flags handlers not wrapped in apiRoute: plain functions, re-exports, aliases of plain functions", () => {
    const src = `
      export async function GET() { return Response.json({}); }
      function notAvailable() { return new Response(null, { status: 404 }); }
      export const DELETE = notAvailable;
      export { handler as POST };`;
    const byMethod = Object.fromEntries(parseRouteSource(src).map((m) => [m.method, m.permission]));
    expect(byMethod).toEqual({ GET: null, DELETE: null, POST: null });
  });

  it("follows an alias to a wrapped handler", () => {
    const src = `const notFound = apiRoute({ permission: "console:read" }, async () => null);
      export const PUT = notFound;`;
    expect(parseRouteSource(src)[0]).toMatchObject({ method: "PUT", permission: "console:read" });
  });
});

describe("fillPattern", () => {
  it("fills and encodes dynamic and catch-all segments", () => {
    expect(fillPattern("/api/endpoints/[id]/investigation", () => "a/b c")).toBe("/api/endpoints/a%2Fb%20c/investigation");
    expect(fillPattern("/api/tyk/[...path]", (_n, all) => (all ? ["apis", "x y"] : "no"))).toBe("/api/tyk/apis/x%20y");
  });

  it("keeps the public list explicit", () => {
    expect(isPublic("/api/health")).toBe(true);
    expect(isPublic("/api/me")).toBe(false);
  });
});
