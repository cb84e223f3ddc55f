import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { accessConfig } from "@/lib/access/config";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { hygienePage, hygieneQuery } from "@/lib/hygiene/page";
import { HygieneClient } from "./hygiene-client";

export const metadata: Metadata = { title: "Hygiene" };
export const dynamic = "force-dynamic";

export default async function HygienePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser("/hygiene");
  const raw = Object.fromEntries(Object.entries(await searchParams).filter((e): e is [string, string] => typeof e[1] === "string"));
  const adminKinds = can(user.role, "settings:read");
  const parsed = hygieneQuery.safeParse(raw);
  // A bad or forbidden URL falls back to the client's own fetch, which shows the API's message.
  const initial = parsed.success && (adminKinds || !["tokens", "secrets"].includes(parsed.data.kind))
    ? JSON.parse(JSON.stringify(await hygienePage(db, accessConfig(), parsed.data, { adminKinds })))
    : undefined;
  return (
    <>
      <PageHeader
        title="Access hygiene"
        description="Every Tyk key, OAuth client and policy — and Touchline's own API tokens and stored secrets — with what needs attention: no expiry, due for rotation, unused, no owner, wider than it is used. Each flag says why; each row links to its object."
      />
      <HygieneClient params={raw} initial={initial} canRotate={can(user.role, "keys:rotate")} adminKinds={adminKinds} />
    </>
  );
}
