import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Policies" };

export default async function Page() {
  await requireUser("/policies");
  return (
    <>
      <PageHeader title="Policies" description="Tyk security policies, their rate limits and every change to them." />
      <EmptyState title="No policies synced">Connect your Tyk Dashboard; Touchline keeps a version history of every policy and who changed it.</EmptyState>
    </>
  );
}
