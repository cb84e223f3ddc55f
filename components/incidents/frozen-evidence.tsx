"use client";

// The frozen investigation, drawn with the endpoint page's own pieces so an incident reads like
// the page it was created from — but only from the copy stored with the incident.
import { useMemo, useState } from "react";
import { CallersTable } from "@/components/endpoint/callers-table";
import { ChangesList } from "@/components/endpoint/changes-list";
import { EvidenceDrawer } from "@/components/endpoint/evidence-drawer";
import { SuspectsPanel } from "@/components/endpoint/suspects-panel";
import type { SuspectRow } from "@/components/endpoint/suspect-model";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { formatUtc } from "@/lib/format";
import type { FrozenEvidence as Frozen } from "@/lib/incidents/types";
import type { ChangeMarker } from "@/lib/queries/endpoint-page-types";
import { chartRows, MINUTE } from "@/lib/queries/endpoint-page-window";
import { FrozenChart } from "./frozen-chart";
import { FrozenVersions } from "./frozen-versions";

export function FrozenEvidence({ frozen }: { frozen: Frozen }) {
  const inv = frozen.investigation;
  const view = frozen.context;
  const rows = useMemo(() => chartRows(view.points, view), [view]);
  const window = useMemo(() => ({ from: Date.parse(inv.window.from), to: Date.parse(inv.window.to) }), [inv.window.from, inv.window.to]);
  const targets = useMemo(() => new Map<string, ChangeMarker>(view.markers.map((m) => [m.id, m])), [view.markers]);
  const suspectChangeIds = useMemo(() => new Set(inv.suspects.filter((s) => s.kind === "access_change").map((s) => s.id)), [inv.suspects]);
  const keyLabels = useMemo(() => {
    const m = new Map<string, string>();
    for (const c of inv.callers) if (c.kind === "key") m.set(c.id, c.label);
    for (const s of [...inv.suspects, ...inv.notSignificant]) if (s.kind === "key") m.set(s.id, s.label);
    return m;
  }, [inv]);
  const spike = inv.spike.kind === "spike" ? { from: inv.spike.start, to: (inv.spike.end ?? window.to) + MINUTE } : null;
  const [open, setOpen] = useState<{ row: SuspectRow; opener: HTMLElement } | null>(null);
  const inWindow = view.markers.filter((m) => m.at >= window.from && m.at < window.to);

  return (
    <div className="space-y-6">
      <Card title="Latency" actions={
        <div className="flex flex-wrap items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
          <span>Analysed {formatUtc(window.from)} – {formatUtc(window.to)}</span>
          <Badge tone="info">frozen {formatUtc(frozen.frozenAt)}</Badge>
          {inv.userType && <Badge tone="info">Only: {inv.userType.label}</Badge>}
        </div>
      }>
        {rows.length ? (
          <FrozenChart rows={rows} window={window} spike={spike} markers={view.markers} suspectChangeIds={suspectChangeIds} />
        ) : (
          <p className="py-10 text-center text-sm text-slate-500">No latency data was stored for this window.</p>
        )}
        <div className="mt-4 border-t border-slate-100 pt-4 dark:border-slate-800">
          <ChangesList markers={inWindow} suspectChangeIds={suspectChangeIds} />
        </div>
      </Card>
      <SuspectsPanel investigation={inv} busy={false} onOpen={(row, opener) => setOpen({ row, opener })} />
      <Card title="Policy and key versions involved">
        <FrozenVersions versions={frozen.versions} />
      </Card>
      <Card title="Callers by identity">
        <CallersTable callers={inv.callers} />
      </Card>
      <EvidenceDrawer row={open?.row ?? null} opener={open?.opener ?? null} targets={targets} keyLabels={keyLabels} traceUi={frozen.traceUi} onClose={() => setOpen(null)} />
    </div>
  );
}
