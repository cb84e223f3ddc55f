import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { ApiError } from "@/lib/api/errors";
import { visibleRequest } from "@/lib/access/requests/decide";
import { personOf } from "@/lib/access/requests/people";
import { requestDetail } from "@/lib/access/requests/view";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { RequestClient } from "./request-client";

export const metadata: Metadata = { title: "Access request" };
export const dynamic = "force-dynamic";

export default async function AccessRequestPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser(`/access-requests/${id}`);
  if (!/^[a-z0-9]{1,64}$/.test(id)) notFound();
  const person = await personOf(db, user);
  const req = await visibleRequest(db, id, person).catch((err) => {
    if (err instanceof ApiError && err.code === "not_found") return null;
    throw err;
  });
  if (!req) notFound();
  const detail = await requestDetail(db, req, person);
  return (
    <>
      <PageHeader title={`${req.requesterEmail} → ${req.targetLabel}`} description={`“${req.reason}” · ${req.durationMinutes} min. One timeline: requested, decided, issued, first used, expired or revoked, and Tyk's confirmation that the key is gone.`} />
      <RequestClient id={id} initial={JSON.parse(JSON.stringify(detail))} />
    </>
  );
}
