import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { Forbidden } from "@/components/ui/forbidden";
import { accessSettings } from "@/lib/access/settings";
import { requirePermission } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { AccessSettingsClient } from "./access-settings-client";

export const metadata: Metadata = { title: "Access settings" };
export const dynamic = "force-dynamic";

export default async function AccessSettingsPage() {
  const { user, allowed } = await requirePermission("/settings/access", "settings:read");
  if (!allowed) return <Forbidden role={user.role} what="Access settings" />;
  return (
    <>
      <PageHeader
        title="Temporary access settings"
        description="The policies people may request and for how long, the rules that name approvers or approve at once, and the webhook that announces requests and decisions. Every change is audited."
      />
      <AccessSettingsClient initial={JSON.parse(JSON.stringify(await accessSettings(db)))} />
    </>
  );
}
