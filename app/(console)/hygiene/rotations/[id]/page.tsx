import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { getRotation } from "@/lib/access/rotation/view";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { RotationClient } from "./rotation-client";

export const metadata: Metadata = { title: "Rotation" };
export const dynamic = "force-dynamic";

export default async function RotationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser(`/hygiene/rotations/${id}`);
  if (!/^[a-z0-9]{1,64}$/.test(id)) notFound();
  const detail = await getRotation(db, id);
  if (!detail) notFound();
  const r = detail.rotation;
  return (
    <>
      <PageHeader
        title={`${r.kind === "key" ? "Key" : "OAuth secret"} rotation: ${r.label}`}
        description={r.kind === "key"
          ? "The new key carries the old key's session. Both work during the grace period; callers' traffic below shows whether they have moved. Then the old key is deleted — never before the new one is confirmed in Tyk."
          : "The client's secret was regenerated in Tyk; the old secret stopped working at once."}
      />
      <RotationClient id={id} initial={JSON.parse(JSON.stringify(detail))} canRotate={can(user.role, "keys:rotate")} />
    </>
  );
}
