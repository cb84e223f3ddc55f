import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { DetailRow } from "@/components/ui/detail-row";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { HistoryList } from "@/components/tyk/history-list";
import { TykSubnav } from "@/components/tyk/tyk-subnav";
import { RotationPanel } from "@/components/access/rotation-panel";
import { accessConfig } from "@/lib/access/config";
import { rotationPlanOf } from "@/lib/access/rotation/session";
import { listRotations } from "@/lib/access/rotation/view";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { formatCount, formatUtc, maskKey } from "@/lib/format";
import { expiryState } from "@/lib/queries/key-filters";
import { getKeyDetail, getKeyUsage } from "@/lib/queries/keys";
import { UsageCard } from "./usage-card";

export const metadata: Metadata = { title: "Key" };


export default async function KeyPage({ params }: { params: Promise<{ hash: string }> }) {
  const { hash } = await params;
  const user = await requireUser(`/keys/${hash}`);
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(hash)) notFound();
  const [d, usage, rotations, row] = await Promise.all([
    getKeyDetail(db, hash), getKeyUsage(db, hash), listRotations(db, { keyHash: hash, limit: 10 }), db.key.findUnique({ where: { keyHash: hash }, select: { snapshot: true } }),
  ]);
  if (!d) notFound();
  const k = d.key;
  const plan = rotationPlanOf(row?.snapshot);
  const exp = expiryState(k.expiresAt, new Date());
  return (
    <>
      <PageHeader
        title={k.alias ?? maskKey(k.last4)}
        description={`Key ${maskKey(k.last4)} — Touchline holds only its hash and last four characters.`}
        actions={<>{k.deletedAt ? <Badge tone="bad">deleted {formatUtc(k.deletedAt)}</Badge> : k.isInactive ? <Badge tone="warn">inactive</Badge> : <Badge tone="good">active</Badge>}</>}
      />
      <TykSubnav current="/keys" />
      <div className="grid gap-5 lg:grid-cols-3">
        <Card title="Key">
          <dl>
            <DetailRow label="Key">{<span className="font-mono">{maskKey(k.last4)}</span>}</DetailRow>
            <DetailRow label="Identity">{k.identity ? `${k.identity.name} (${k.identity.kind})` : "unknown"}</DetailRow>
            <DetailRow label="Policies">
              {k.policies.length ? k.policies.map((p, i) => <span key={p.id}>{i > 0 && ", "}<Link className="text-brand-700 hover:underline dark:text-blue-300" href={`/policies/${encodeURIComponent(p.id)}`}>{p.name}</Link></span>) : "none"}
            </DetailRow>
            <DetailRow label="APIs">{k.apis.length ? k.apis.map((a) => a.name).join(", ") : "—"}</DetailRow>
            <DetailRow label="Own rate">{k.rate && k.rate > 0 ? `${formatCount(k.rate)} per ${k.per ?? "?"} s` : "from policy"}</DetailRow>
            <DetailRow label="Created">{formatUtc(k.createdAt)}</DetailRow>
            <DetailRow label="Expires">
              {exp === "never" ? "never" : <Badge tone={exp === "expired" ? "bad" : exp === "soon" ? "warn" : "neutral"}>{formatUtc(k.expiresAt)}</Badge>}
            </DetailRow>
            <DetailRow label="OAuth client">{k.oauthClientId ?? "—"}</DetailRow>
            <DetailRow label="Synced">{formatUtc(k.syncedAt)}</DetailRow>
          </dl>
        </Card>
        <Card title="History" className="lg:col-span-2">
          <HistoryList items={d.history} what={`Key ${k.alias ?? maskKey(k.last4)}`} />
        </Card>
        <UsageCard usage={usage} />
        {!k.deletedAt && (
          <RotationPanel
            keyHash={k.keyHash}
            canRotate={can(user.role, "keys:rotate")}
            defaultGraceHours={accessConfig().graceHours}
            initial={JSON.parse(JSON.stringify(rotations))}
            plan={{
              alias: plan.alias, metaDataKeys: plan.metaDataKeys, tags: plan.tags,
              policies: plan.policyIds.map((id) => k.policies.find((p) => p.id === id)?.name ?? id),
              expires: plan.expires ? new Date(plan.expires * 1000).toISOString() : null,
            }}
          />
        )}
      </div>
    </>
  );
}
