import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db";

export const metadata: Metadata = { title: "Endpoints" };

export default async function EndpointsPage() {
  await requireUser("/endpoints");
  const count = await db.endpoint.count();
  return (
    <>
      <PageHeader title="Endpoints" description="Every endpoint behind your Tyk gateway, with its latency and who touched it." />
      {count === 0 && (
        <EmptyState title="No endpoints yet">
          Connect your Tyk Dashboard (set <code>TYK_DASHBOARD_URL</code> and <code>TYK_DASHBOARD_API_KEY</code>) and a trace
          backend (<code>LIGHTSTEP_*</code>). Touchline syncs APIs, policies and keys, then latency per endpoint.
        </EmptyState>
      )}
    </>
  );
}
