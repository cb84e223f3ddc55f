import { NextResponse } from "next/server";
import { withAuth } from "next-auth/middleware";

// Only the login redirect lives here (API routes answer 401 JSON themselves). The page path is
// passed on so server layouts can send a signed-out visitor back to it after sign-in.
export default withAuth(
  function proxy(req) {
    const headers = new Headers(req.headers);
    headers.set("x-touchline-path", req.nextUrl.pathname + req.nextUrl.search);
    return NextResponse.next({ request: { headers } });
  },
  { pages: { signIn: "/signin" } },
);

export const config = {
  matcher: ["/((?!api/|_next/|signin|favicon\\.svg|robots\\.txt).*)"],
};
