import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { NextRequest, NextResponse } from "next/server";
import { AUTH_BODY_LIMIT, BODY_TIMEOUT_MS, readBodyText, refuseDeclaredOversize } from "@/lib/api/body";
import { ApiError, toErrorResponse } from "@/lib/api/errors";
import { log } from "@/lib/log";
import { requestClientIp } from "@/lib/security/client-ip";

// next-auth's routes are public (sign-in must work signed out), so they get the same limits as the
// API before next-auth reads anything: a small body cap, a deadline for the body, JSON that must
// parse (next-auth would throw a 500 on it), and no caching. Who is asking (client IP, user agent)
// is kept for the sign-in and sign-out audit rows, which next-auth's events do not get.

export interface AuthRequestFacts {
  ip: string | null;
  userAgent: string | null;
}

const STORE = Symbol.for("touchline.authRequest");
const holder = globalThis as unknown as Record<symbol, AsyncLocalStorage<AuthRequestFacts> | undefined>;
const facts = (holder[STORE] ??= new AsyncLocalStorage<AuthRequestFacts>());

/** IP and user agent of the auth request being handled (sign-in callback, sign-out), if any. */
export function authRequestFacts(): AuthRequestFacts {
  return facts.getStore() ?? { ip: null, userAgent: null };
}

type Handler = (req: NextRequest, ctx: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>;

async function buffered(req: NextRequest): Promise<NextRequest> {
  refuseDeclaredOversize(req.headers, AUTH_BODY_LIMIT);
  if (req.method !== "POST") return req;
  const text = await readBodyText(req, { limit: AUTH_BODY_LIMIT, timeoutMs: BODY_TIMEOUT_MS });
  if ((req.headers.get("content-type") ?? "").includes("application/json") && text) {
    try {
      JSON.parse(text);
    } catch {
      throw new ApiError("bad_request", "body: not valid JSON", "body");
    }
  }
  return new NextRequest(req.url, { method: req.method, headers: req.headers, body: text });
}

/** Wraps next-auth's route handler (app/api/auth/[...nextauth]/route.ts). */
export function guardedAuthRoute(handler: Handler): Handler {
  return async (req, ctx) => {
    let res: Response;
    try {
      const request = await buffered(req);
      res = await facts.run({ ip: requestClientIp(req.headers), userAgent: req.headers.get("user-agent")?.slice(0, 400) ?? null }, () => handler(request, ctx));
    } catch (err) {
      const { status, body, headers, unexpected } = toErrorResponse(err, randomUUID());
      if (unexpected) log.error({ requestId: body.error.requestId, err: err instanceof Error ? err.message : String(err) }, "auth route failed");
      res = NextResponse.json(body, { status, headers });
    }
    res.headers.set("Cache-Control", "no-store");
    return res;
  };
}
