import type { Metadata } from "next";
import { randomUUID } from "node:crypto";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { Forbidden } from "@/components/ui/forbidden";
import { RevokedNotice } from "@/components/incidents/revoked-notice";
import { auditActorOf } from "@/lib/audit/context";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { slugParams } from "@/lib/incidents/schema";
import { openIncident } from "@/lib/incidents/service";
import { viewerOf } from "@/lib/incidents/viewer";
import { IncidentClient } from "./incident-client";

// The link is the secret: never let a crawler or a referrer-logging proxy keep it.
export const metadata: Metadata = { title: "Incident", robots: { index: false, follow: false }, referrer: "no-referrer" };

export default async function IncidentPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const user = await requireUser(`/incidents/${encodeURIComponent(slug)}`);
  if (!can(user.role, "incidents:read")) return <Forbidden role={user.role} what="Incidents" />;
  if (!slugParams.safeParse({ slug }).success) notFound();
  const h = await headers();
  const res = await openIncident(db, slug, viewerOf(user), {
    actor: auditActorOf(user), ip: h.get("x-forwarded-for")?.split(",")[0]?.trim() ?? null, userAgent: h.get("user-agent"), requestId: randomUUID(),
  }, env().NEXTAUTH_URL);
  if (res.state === "not_found") notFound();
  if (res.state === "forbidden") return <Forbidden role={user.role} what="This incident is shared with responders only; it" />;
  if (res.state === "gone") return <RevokedNotice slug={slug} canReshare={res.canManageLink} currentSlug={res.currentSlug} title={res.title} />;
  return <IncidentClient initial={res.incident} />;
}
