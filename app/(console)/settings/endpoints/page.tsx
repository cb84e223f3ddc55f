import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { Forbidden } from "@/components/ui/forbidden";
import { CandidatesClient } from "@/components/endpoints-review/candidates-client";
import { can } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { listCandidates } from "@/lib/endpoints/candidates";

export const metadata: Metadata = { title: "Derived endpoint templates" };
export const dynamic = "force-dynamic";

export default async function EndpointReviewPage() {
  const { user, allowed } = await requirePermission("/settings/endpoints", "settings:read");
  if (!allowed) return <Forbidden role={user.role} what="Derived endpoint templates" />;
  const candidates = await listCandidates(db);
  return (
    <>
      <PageHeader
        title="Derived endpoint templates"
        description="Requests whose API declares no matching path are stored without an endpoint and cannot be investigated. Touchline derives templates from their paths (ids, UUIDs and numbers collapsed to {id}) and from the trace backend's http.route; accept one and the stored requests it matches get it."
      />
      {candidates.length === 0 ? (
        <EmptyState title="Nothing to review">Every request so far matched an endpoint of its API.</EmptyState>
      ) : (
        <CandidatesClient initial={candidates} canWrite={can(user.role, "settings:write")} />
      )}
    </>
  );
}
