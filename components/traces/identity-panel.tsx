import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { maskKey } from "@/lib/format";
import type { TraceIdentity } from "@/lib/queries/traces";
import type { IdentityHighlight } from "@/lib/queries/traces-model";

/** Who made the request: the root span's identity attributes and what the mapping rules make of them. */
export function IdentityPanel({ highlights, identity, canEditRules }: { highlights: IdentityHighlight[]; identity: TraceIdentity; canEditRules: boolean }) {
  return (
    <Card
      title="Who made this request"
      actions={canEditRules ? <Link href="/settings/mappings/identity" className="text-xs font-medium text-brand-700 hover:underline dark:text-blue-300">Identity rules</Link> : undefined}
    >
      <div className="grid gap-5 md:grid-cols-2">
        <div>
          <h3 className="mb-2 text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">Span attributes</h3>
          {highlights.length ? (
            <dl className="space-y-1.5 text-sm" data-testid="identity-attributes">
              {highlights.map((h) => (
                <div key={h.attribute} className="flex flex-wrap items-baseline gap-x-2">
                  <dt className="w-28 shrink-0 text-slate-500 dark:text-slate-400">{h.label}</dt>
                  <dd>
                    <mark
                      data-attribute={h.attribute}
                      className="rounded bg-amber-100 px-1.5 py-0.5 font-mono text-xs text-amber-900 dark:bg-amber-900/60 dark:text-amber-100"
                    >
                      {h.value}
                    </mark>
                    <span className="ml-2 font-mono text-[11px] text-slate-500">{h.attribute}</span>
                  </dd>
                </div>
              ))}
            </dl>
          ) : (
            <p className="text-sm text-slate-500">The root span carries none of the identity attributes.</p>
          )}
        </div>
        <div data-testid="mapped-identity">
          <h3 className="mb-2 text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">Mapped identity</h3>
          {!identity.mapped ? (
            <p className="text-sm">
              <Badge tone="warn">unmapped</Badge>
              <span className="ml-2 text-slate-500">No identity rule matched this span.</span>
            </p>
          ) : (
            <dl className="space-y-1.5 text-sm">
              {identity.identity && (
                <Row label="Identity">
                  <strong>{identity.identity.name}</strong> <Badge>{identity.identity.kind}</Badge>
                  {identity.identity.team && <span className="ml-1 text-slate-500">team {identity.identity.team}</span>}
                  {identity.identity.email && <div className="text-xs text-slate-500">{identity.identity.email}</div>}
                </Row>
              )}
              {identity.key ? (
                <Row label="Key">
                  <span className="font-mono text-xs">{identity.key.alias ?? "(no alias)"} · {maskKey(identity.key.last4)}</span>
                </Row>
              ) : (
                <Row label="Key">
                  <span className="text-slate-500">not a key Touchline knows</span>
                </Row>
              )}
              {identity.fields.email && !identity.identity?.email && <Row label="Email">{identity.fields.email}</Row>}
              {identity.fields.service && <Row label="Service">{identity.fields.service}</Row>}
              {identity.fields.team && <Row label="Team">{identity.fields.team}</Row>}
            </dl>
          )}
        </div>
      </div>
    </Card>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex items-baseline gap-2">
      <dt className="w-20 shrink-0 text-slate-500 dark:text-slate-400">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
