import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { guardedAuthRoute } from "@/lib/auth/auth-route";
import { authOptions } from "@/lib/auth/options";

// Public by design (lib/security/routes.ts PUBLIC_ROUTES); guardedAuthRoute caps and times bodies.
const handler = guardedAuthRoute((req: NextRequest, ctx) => NextAuth(authOptions())(req, ctx));

export { handler as GET, handler as POST };
