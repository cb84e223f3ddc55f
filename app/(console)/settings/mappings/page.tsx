import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { Forbidden } from "@/components/ui/forbidden";
import { MappingsCard } from "@/components/traces/mappings-card";
import { requirePermission } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Trace mappings" };

export default async function MappingsPage() {
  const { user, allowed } = await requirePermission("/settings/mappings", "settings:read");
  if (!allowed) return <Forbidden role={user.role} what="Trace mappings" />;
  return (
    <>
      <PageHeader title="Trace mappings" description="How gateway endpoints and callers line up with what the trace backend records." />
      <div className="max-w-xl">
        <MappingsCard />
      </div>
      <p className="mt-4 text-sm">
        <Link href="/settings" className="text-brand-700 hover:underline dark:text-blue-300">← Settings</Link>
      </p>
    </>
  );
}
