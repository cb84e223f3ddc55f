import { NextRequest } from "next/server";
import { z } from "zod";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { SYSTEM_ACTOR } from "@/lib/audit/context";
import { createToken, revokeToken } from "@/lib/tokens/service";
import type { TokenScope } from "@/lib/auth/permissions";
import { GET as me } from "@/app/api/me/route";
import { GET as listTokensRoute } from "@/app/api/tokens/route";
import { GET as auditEvents } from "@/app/api/audit-events/route";
import { apiRoute } from "./handler";

// Real route handlers, real database (the int project's DATABASE_URL), bearer tokens in the header.
const ctx = { params: Promise.resolve({}) };
const req = (url: string, token: string, init: { method?: string; body?: string } = {}) =>
  new NextRequest(`http://localhost:3000${url}`, { ...init, headers: { authorization: `Bearer ${token}` } });
const newToken = (scopes: TokenScope[]) => createToken(db, { name: `t-${scopes.join("+")}`, scopes, expiresAt: null, createdBy: "system" }, { actor: SYSTEM_ACTOR });

describe("API routes with console API tokens", () => {
  afterAll(() => db.$disconnect());

  it("a read token gets /api/me as itself, with its scope's permissions", async () => {
    const { token, view } = await newToken(["read"]);
    const res = await me(req("/api/me", token), ctx);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.token).toMatchObject({ id: view.id, scopes: ["read"] });
    expect(body.permissions).toEqual(expect.arrayContaining(["console:read", "incidents:read"]));
    expect(body.permissions).not.toContain("incidents:write");
  });

  it("a scope that does not grant the route's permission → 403", async () => {
    const { token } = await newToken(["read"]);
    const res = await auditEvents(req("/api/audit-events", token), ctx);
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("forbidden");
    // No scope grants token management, so a leaked token cannot mint more.
    const { token: all } = await newToken(["read", "incidents:write", "sync:run", "calls:read", "audit:read"]);
    expect((await listTokensRoute(req("/api/tokens", all), ctx)).status).toBe(403);
    expect((await auditEvents(req("/api/audit-events?action=token.", all), ctx)).status).toBe(200);
  });

  it("revoked, unknown and malformed tokens → 401 (never falling back to a session)", async () => {
    const { token, view } = await newToken(["read"]);
    expect((await me(req("/api/me", token), ctx)).status).toBe(200);
    await revokeToken(db, view.id, { actor: SYSTEM_ACTOR });
    const res = await me(req("/api/me", token), ctx);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("unauthorized");
    expect((await me(req("/api/me", `tl_${"x".repeat(43)}`), ctx)).status).toBe(401);
    expect((await me(req("/api/me", "garbage"), ctx)).status).toBe(401);
  });

  it("token writes skip the Origin check (no cookies to forge) but still need the scope", async () => {
    const route = apiRoute({ permission: "incidents:write", body: z.object({ title: z.string() }) }, async ({ body, actor }) => ({ title: body.title, by: actor.type }));
    const { token: writer } = await newToken(["incidents:write"]);
    const ok = await route(req("/x", writer, { method: "POST", body: JSON.stringify({ title: "t" }) }), ctx);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ title: "t", by: "token" });
    const { token: reader } = await newToken(["read"]);
    expect((await route(req("/x", reader, { method: "POST", body: "{}" }), ctx)).status).toBe(403);
  });
});
