import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Incidents" };

export default async function Page() {
  await requireUser("/incidents");
  return (
    <>
      <PageHeader title="Incidents" description="Frozen investigations you can share with an SSO-gated link." />
      <EmptyState title="No incidents yet">Open an endpoint with a latency spike and choose Create incident to freeze its evidence here.</EmptyState>
    </>
  );
}
