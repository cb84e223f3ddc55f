import type { Metadata } from "next";
import Link from "next/link";
import { AliasEditor } from "@/components/environments/alias-editor";
import { Badge, type Tone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, Td, Th } from "@/components/ui/table";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import type { EnvironmentStatus } from "@/lib/environments/normalise";
import { environmentsPage } from "@/lib/environments/page";
import { formatCount } from "@/lib/format";

export const metadata: Metadata = { title: "Environments" };
export const dynamic = "force-dynamic";

const STATUS: Record<EnvironmentStatus, { label: string; tone: Tone }> = {
  mismatch: { label: "Different environments", tone: "bad" },
  naming: { label: "Same environment, different names", tone: "warn" },
  traces_only: { label: "Only the traces say", tone: "warn" },
  gateway_only: { label: "Only Tyk says", tone: "neutral" },
  undeclared: { label: "Neither says", tone: "neutral" },
  same: { label: "Consistent", tone: "good" },
};

const SOURCE = { tag: "API tag", name: "API name", listen_path: "listen path" } as const;

export default async function EnvironmentsPage() {
  const user = await requireUser("/environments");
  const data = await environmentsPage(db);
  const inconsistent = data.apis.filter((a) => a.status === "mismatch" || a.status === "naming").length;
  return (
    <>
      <PageHeader
        title="Environment names"
        description={`The environment each API declares in Tyk (tags, name, listen path) beside what its traces say (deployment.environment, service names), normalised (prd = prod = production). ${inconsistent ? `${inconsistent} API${inconsistent === 1 ? "" : "s"} named inconsistently.` : "No inconsistencies."}`}
      />
      <div className="flex flex-col gap-6">
        <Table label="Environments by API">
          <thead><tr><Th>API</Th><Th>Tyk declares</Th><Th>Traces declare</Th><Th>Environment</Th><Th>Agreement</Th></tr></thead>
          <tbody>
            {data.apis.map((a) => (
              <tr key={a.apiId}>
                <Td className="font-medium"><Link href={`/coverage?api=${encodeURIComponent(a.apiId)}`} className="text-brand-700 hover:underline dark:text-blue-300">{a.name}</Link></Td>
                <Td>{a.tyk ? <><code>{a.tyk.raw}</code> <span className="text-xs text-slate-500 dark:text-slate-400">({SOURCE[a.tyk.source]})</span></> : <span className="text-slate-500 dark:text-slate-400">—</span>}</Td>
                <Td>
                  {a.traces.length ? a.traces.map((t) => (
                    <span key={`${t.source} ${t.raw}`} className="mr-2 inline-block"><code>{t.raw}</code> <span className="text-xs text-slate-500 dark:text-slate-400">
                      {t.source === "attribute" ? `× ${formatCount(t.count)} traces` : "service name"}</span></span>
                  )) : <span className="text-slate-500 dark:text-slate-400">—</span>}
                </Td>
                <Td>{a.environment ? <Link href={`/endpoints?env=${encodeURIComponent(a.environment)}`} className="hover:underline">{a.environment}</Link> : <span className="text-slate-500 dark:text-slate-400">unknown</span>}</Td>
                <Td><Badge tone={STATUS[a.status].tone}>{STATUS[a.status].label}</Badge></Td>
              </tr>
            ))}
          </tbody>
        </Table>
        <Card title="Environments">
          {data.environments.length ? (
            <ul aria-label="Environments" className="flex flex-col gap-1 text-sm">
              {data.environments.map((e) => (
                <li key={e.environment}>
                  <Link href={`/endpoints?env=${encodeURIComponent(e.environment)}`} className="font-medium text-brand-700 hover:underline dark:text-blue-300">{e.environment}</Link>
                  {" "}— {e.apis} API{e.apis === 1 ? "" : "s"}; spelled {e.spellings.map((s) => <code key={s} className="mr-1">{s}</code>)}
                </li>
              ))}
            </ul>
          ) : <p className="text-sm text-slate-500">No API or trace declares an environment yet.</p>}
        </Card>
        <Card title="Aliases">
          <p className="mb-3 text-sm text-slate-500">An alias counts a name as declared (any case, spaces or underscores) as another environment, e.g. <code>live-eu</code> → <code>production</code>.</p>
          {can(user.role, "settings:write")
            ? <AliasEditor aliases={data.aliases} canonical={data.canonical} />
            : data.aliases.length ? <ul className="text-sm">{data.aliases.map((a) => <li key={a.name}><code>{a.name}</code> → <code>{a.environment}</code></li>)}</ul>
              : <p className="text-sm text-slate-500">None.</p>}
        </Card>
      </div>
    </>
  );
}
