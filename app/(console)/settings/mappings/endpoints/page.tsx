import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { Forbidden } from "@/components/ui/forbidden";
import { EndpointMappingClient } from "@/components/traces/endpoint-mapping-client";
import { can } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { listEndpointMappings } from "@/lib/queries/traces-mappings";

export const metadata: Metadata = { title: "Endpoint mapping" };
export const dynamic = "force-dynamic";

export default async function EndpointMappingPage() {
  const { user, allowed } = await requirePermission("/settings/mappings/endpoints", "settings:read");
  if (!allowed) return <Forbidden role={user.role} what="Endpoint mapping" />;
  const endpoints = await listEndpointMappings(db);
  return (
    <>
      <PageHeader
        title="Endpoint mapping"
        description="Each Tyk endpoint and the trace operation its latency is read from. The sync maps them automatically; a manual mapping is kept until you reset it."
        actions={<Link href="/settings/mappings/identity" className="text-sm font-medium text-brand-700 hover:underline dark:text-blue-300">Identity mapping →</Link>}
      />
      {endpoints.length === 0 ? (
        <EmptyState title="No endpoints yet">Endpoints appear after the first Tyk sync.</EmptyState>
      ) : (
        <EndpointMappingClient initial={endpoints} canWrite={can(user.role, "settings:write")} />
      )}
    </>
  );
}
