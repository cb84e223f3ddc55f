import { NextResponse } from "next/server";
import { db } from "@/lib/db";

// Public: load balancers and the demo runner poll it. Says nothing about data or configuration.
const NO_STORE = { "Cache-Control": "no-store" };
export async function GET() {
  try {
    await db.$queryRaw`SELECT 1`;
    return NextResponse.json({ status: "ok", database: "ok" }, { headers: NO_STORE });
  } catch {
    return NextResponse.json({ status: "degraded", database: "unreachable" }, { status: 503, headers: NO_STORE });
  }
}
