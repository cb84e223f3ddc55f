import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { Forbidden } from "@/components/ui/forbidden";
import { IdentityMappingClient } from "@/components/traces/identity-mapping-client";
import { can } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { listIdentityRules } from "@/lib/queries/traces-mappings";

export const metadata: Metadata = { title: "Identity mapping" };
export const dynamic = "force-dynamic";

export default async function IdentityMappingPage() {
  const { user, allowed } = await requirePermission("/settings/mappings/identity", "settings:read");
  if (!allowed) return <Forbidden role={user.role} what="Identity mapping" />;
  const rules = await listIdentityRules(db);
  return (
    <>
      <PageHeader
        title="Identity mapping"
        description="Which span attributes name the caller. Edit the draft and watch the preview on recent spans; Save applies it to future syncs."
        actions={<Link href="/settings/mappings/endpoints" className="text-sm font-medium text-brand-700 hover:underline dark:text-blue-300">← Endpoint mapping</Link>}
      />
      <IdentityMappingClient initial={rules} canWrite={can(user.role, "settings:write")} />
    </>
  );
}
