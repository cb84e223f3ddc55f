import { apiRoute } from "@/lib/api/handler";
import { ApiError } from "@/lib/api/errors";

// Any /api path no route claims (a typo, or a client that normalised `/./` away) answers in the one
// JSON error shape rather than Next's HTML 404 page; signed-out callers still get 401 first.
const notFound = apiRoute({ permission: "console:read" }, async ({ req }) => {
  throw new ApiError("not_found", `No API route ${req.method} ${req.nextUrl.pathname}`);
});

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
