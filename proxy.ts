import { NextResponse, type NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { newNonce, pageCsp } from "@/lib/security/csp";
import { db } from "@/lib/db";
import { hasPageStatus, pageStatus } from "@/lib/pages/page-status";

// Runs before pages (not API routes: they answer 401 JSON themselves, and Next would buffer a
// request body to show it to the proxy). It gives every page a per-request CSP nonce — Next reads
// it from the request's CSP header and puts it on its scripts; pages are rendered per request for
// it (app/layout.tsx) — and sends a visitor without a session cookie to sign-in. Pages check the
// server-side session again (requireUser), so a revoked session's cookie gets no further.
const PUBLIC_PAGES = new Set(["/signin"]);

export async function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  const nonce = newNonce();
  const csp = pageCsp(nonce, process.env.NODE_ENV !== "production");
  const withCsp = (res: NextResponse) => {
    res.headers.set("Content-Security-Policy", csp);
    return res;
  };
  if (!PUBLIC_PAGES.has(pathname) && !(await getToken({ req, secret: process.env.NEXTAUTH_SECRET }))) {
    const signIn = new URL("/signin", req.nextUrl.origin);
    signIn.searchParams.set("callbackUrl", pathname + search);
    return withCsp(NextResponse.redirect(signIn));
  }
  const headers = new Headers(req.headers);
  headers.set("Content-Security-Policy", csp);
  // The page path, so server layouts can send a signed-out visitor back to it after sign-in.
  headers.set("x-touchline-path", pathname + search);
  // A missing object or a revoked incident link answers 404 / 410 with the console's own page. Only
  // for document loads: the router's RSC fetches (header "rsc") read a non-2xx as "load the page".
  const status = hasPageStatus(pathname) && !req.headers.has("rsc") ? await pageStatus(db, pathname) : null;
  return withCsp(NextResponse.next({ request: { headers }, ...(status ? { status } : {}) }));
}

export const config = {
  matcher: ["/((?!api/|_next/|favicon\\.svg|robots\\.txt).*)"],
};
