import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Keys" };

export default async function Page() {
  await requireUser("/keys");
  return (
    <>
      <PageHeader title="Keys" description="Tyk keys (masked), their owners, policies, age and expiry." />
      <EmptyState title="No keys synced">Connect your Tyk Dashboard; Touchline stores only each key&apos;s hash and last four characters.</EmptyState>
    </>
  );
}
