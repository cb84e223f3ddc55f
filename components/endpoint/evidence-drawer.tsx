"use client";

// The evidence behind one suspect, as a modal side drawer: native <dialog> gives the focus trap,
// inert background and Escape; focus goes back to the suspect that opened it.
import Link from "next/link";
import { useEffect, useRef } from "react";
import { Badge } from "@/components/ui/badge";
import { formatCount, formatMs, formatPercent } from "@/lib/format";
import type { SuspectJson } from "@/lib/investigation/result";
import type { ChangeMarker, TraceUiRef } from "@/lib/queries/endpoint-page-types";
import { ChangeSummary } from "./change-summary";
import { ShareBar } from "./share-bar";
import { Time } from "@/components/ui/time";
import { chainText, changeTargetLink, externalTraceUrl, formatQ, identitySourceText, KIND_LABEL, linkDetail, reasonText, relatedChanges, suspectLinks, type SuspectRow } from "./suspect-model";

export interface EvidenceDrawerProps {
  row: SuspectRow | null;
  opener: HTMLElement | null;
  targets: Map<string, ChangeMarker>;
  /** Changes up to this time count as "before" (the analysed window's end); all when absent. */
  until?: number;
  keyLabels: Map<string, string>;
  traceUi: TraceUiRef;
  onClose: () => void;
}

export function EvidenceDrawer({ row, opener, targets, until, keyLabels, traceUi, onClose }: EvidenceDrawerProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (row && !d.open) d.showModal();
    if (!row && d.open) d.close();
  }, [row]);
  const close = () => {
    onClose();
    opener?.focus();
  };
  const s = row?.lead;
  return (
    <dialog ref={ref} aria-labelledby="evidence-title" onClose={close} onCancel={(e) => { e.preventDefault(); close(); }}
      onClick={(e) => { if (e.target === ref.current) close(); }}
      className="fixed inset-y-0 right-0 left-auto m-0 h-full max-h-full w-full max-w-xl overflow-y-auto border-l border-slate-200 bg-white p-0 text-slate-900 shadow-2xl backdrop:bg-slate-900/40 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-100">
      {s && row && (
        <div className="space-y-5 p-6">
          <header className="flex items-start justify-between gap-4">
            <div>
              <p className="text-xs uppercase tracking-wide text-slate-600 dark:text-slate-300">Evidence</p>
              <h2 id="evidence-title" className="text-lg font-semibold">{chainText(row)}</h2>
              {s.identity && <p className="text-sm text-slate-500 dark:text-slate-400">{s.identity.name}{s.identity.email ? ` <${s.identity.email}>` : ""} · {s.identity.kind}</p>}
              {identitySourceText(s.identity?.source) && <p className="text-xs text-slate-500 dark:text-slate-400">{identitySourceText(s.identity?.source)}</p>}
            </div>
            <button type="button" onClick={close} autoFocus aria-label="Close evidence"
              className="rounded-lg px-2 py-1 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800">✕</button>
          </header>

          <section className="space-y-1">
            <ShareBar share={s.share} significant={s.significant} />
            <p className="text-sm">
              {s.significant ? <Badge tone="bad">significant</Badge> : <Badge>not significant</Badge>}{" "}
              <span className="text-slate-600 dark:text-slate-300">{reasonText(s)}</span>
            </p>
            {linkDetail(row) && <p className="text-sm" data-testid="drawer-link-detail">{linkDetail(row)}</p>}
            <details className="text-xs text-slate-600 dark:text-slate-300">
              <summary className="cursor-pointer font-medium text-brand-700 dark:text-blue-300">How is this computed?</summary>
              <p className="mt-1">
                Share {formatPercent(s.share.point)} of the excess, 90% interval {formatPercent(s.share.lo)}–{formatPercent(s.share.hi)} (bootstrap over the
                requests); q = {formatQ(s.qValue)} (p-value adjusted for the number of suspects tested); mechanism: {s.mechanism.replaceAll("_", " ")}.
              </p>
            </details>
          </section>

          {(s.kind === "access_change" || s.kind === "deploy") && <ChangeSection s={s} targets={targets} />}
          <ContextSection s={s} />
          <Links links={[...suspectLinks(s, targets), ...row.also.flatMap((a) => suspectLinks(a, targets))]} />

          {s.evidence.enabledBy?.length ? (
            <section>
              <h3 className="mb-1 text-sm font-semibold">Enabled by</h3>
              <ul className="space-y-1 text-sm">
                {s.evidence.enabledBy.map((e) => {
                  const m = targets.get(e.changeId);
                  const link = m?.targetId ? changeTargetLink(m.kind, m.targetId, e.label) : null;
                  return <li key={e.changeId}>{link ? <Link className="text-brand-600 underline dark:text-blue-300" href={link.href}>{e.label}</Link> : e.label} <span className="text-xs text-slate-500">({e.reason.replaceAll("_", " ")})</span></li>;
                })}
              </ul>
            </section>
          ) : null}
          {s.evidence.enables?.keyHashes.length ? (
            <section>
              <h3 className="mb-1 text-sm font-semibold">Let in traffic from</h3>
              <ul className="flex flex-wrap gap-2 text-sm">
                {s.evidence.enables.keyHashes.map((k) => (
                  <li key={k}><Link className="text-brand-600 underline dark:text-blue-300" href={`/keys/${encodeURIComponent(k)}`}>{keyLabels.get(k) ?? `key ${k.slice(0, 8)}…`}</Link></li>
                ))}
              </ul>
            </section>
          ) : null}

          {s.kind !== "access_change" && s.kind !== "deploy" && <RelatedSection changes={relatedChanges(row, [...targets.values()], until ?? Number.POSITIVE_INFINITY)} />}
          <TrafficSection s={s} />
          <TracesSection ids={s.evidence.exemplarTraceIds} traceUi={traceUi} />
        </div>
      )}
    </dialog>
  );
}

/** A rotated key's earlier keys, and the broad group a suspect carries the share of. */
function ContextSection({ s }: { s: SuspectJson }) {
  const { rotatedFrom, within } = s.evidence;
  if (!rotatedFrom?.length && !within) return null;
  return (
    <section className="space-y-1 text-sm">
      {rotatedFrom?.map((r) => (
        <p key={r.keyHash}>Rotated from <span className="font-mono">{r.label}</span> at <Time at={r.at} />: its requests are counted as this key&apos;s (one caller, two keys).</p>
      ))}
      {within && (
        <p>Under {KIND_LABEL[within.kind]?.toLowerCase() ?? within.kind} <span className="font-mono">{within.label}</span>
          {within.otherKeys > 0 ? `, whose ${within.otherKeys} other key${within.otherKeys === 1 ? "" : "s"} add ${Math.round(within.othersAdd * 100)}%` : " (its only key)"}.</p>
      )}
    </section>
  );
}

function ChangeSection({ s, targets }: { s: SuspectJson; targets: Map<string, ChangeMarker> }) {
  const m = targets.get(s.id);
  const change = m ?? { kind: "change", action: "update", label: s.label, actor: s.actor, at: s.changedAt ? Date.parse(s.changedAt) : 0, timeSource: s.timeSource, diff: s.evidence.diff ?? [] };
  return (
    <section>
      <h3 className="mb-1 text-sm font-semibold">The change</h3>
      <ChangeSummary change={{ ...change, diff: s.evidence.diff?.length ? s.evidence.diff : change.diff }} />
    </section>
  );
}

function RelatedSection({ changes }: { changes: ChangeMarker[] }) {
  if (!changes.length) return null;
  return (
    <section>
      <h3 className="mb-2 text-sm font-semibold">Changes to its key or policy</h3>
      <ul className="space-y-3">
        {changes.map((m) => {
          const link = m.targetId ? changeTargetLink(m.kind, m.targetId, m.label) : null;
          return (
            <li key={m.id} className="rounded-lg border border-slate-200 p-3 dark:border-slate-800">
              <ChangeSummary change={m} />
              {link && <Link className="mt-2 inline-block text-sm text-brand-600 underline dark:text-blue-300" href={link.href}>{link.label}</Link>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Links({ links }: { links: { href: string; label: string }[] }) {
  if (!links.length) return null;
  return (
    <section>
      <h3 className="mb-1 text-sm font-semibold">In the console</h3>
      <ul className="space-y-1 text-sm">
        {links.map((l) => <li key={l.href}><Link className="text-brand-600 underline dark:text-blue-300" href={l.href}>{l.label}</Link></li>)}
      </ul>
    </section>
  );
}

function TrafficSection({ s }: { s: SuspectJson }) {
  const e = s.evidence;
  const growth = e.requestsBefore > 0 ? e.requestsAfter / e.requestsBefore : null;
  return (
    <section>
      <h3 className="mb-2 text-sm font-semibold">Traffic before and during the spike</h3>
      <table className="w-full text-sm" aria-label="Traffic before and during">
        <thead className="text-xs text-slate-500 dark:text-slate-400">
          <tr><th className="py-1 text-left font-medium" scope="col"></th><th className="py-1 text-right font-medium" scope="col">Before</th><th className="py-1 text-right font-medium" scope="col">During</th></tr>
        </thead>
        <tbody className="tabular-nums">
          <tr><th scope="row" className="py-1 text-left font-normal">Requests served</th><td className="text-right">{formatCount(e.requestsBefore)}</td><td className="text-right">{formatCount(e.requestsAfter)}{growth != null && growth >= 1.5 ? ` (×${growth.toFixed(1)})` : ""}</td></tr>
          {(e.rejectedBefore ?? 0) + (e.rejectedAfter ?? 0) > 0 && (
            <tr><th scope="row" className="py-1 text-left font-normal">Rejected by Tyk (429/403)</th><td className="text-right">{formatCount(e.rejectedBefore ?? 0)}</td><td className="text-right">{formatCount(e.rejectedAfter ?? 0)}</td></tr>
          )}
          <tr><th scope="row" className="py-1 text-left font-normal">Its p99</th><td className="text-right">{formatMs(e.p99Before)}</td><td className="text-right">{formatMs(e.p99After)}</td></tr>
        </tbody>
      </table>
      <p className="mt-2 text-sm">
        Endpoint p99 during the spike: <strong>{formatMs(e.p99With)}</strong> with these requests, <strong>{formatMs(e.p99Without)}</strong> without them
        {e.p99With != null && e.p99Without != null && e.p99With > 0 ? ` (${formatPercent(1 - e.p99Without / e.p99With)} lower)` : ""}.
      </p>
    </section>
  );
}

function TracesSection({ ids, traceUi }: { ids: string[]; traceUi: TraceUiRef }) {
  return (
    <section>
      <h3 className="mb-1 text-sm font-semibold">Exemplar traces</h3>
      {ids.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">No traces of these requests were sampled.</p>
      ) : (
        <ul className="space-y-1 font-mono text-xs">
          {ids.map((id) => {
            const external = externalTraceUrl(id, traceUi);
            return (
              <li key={id} className="flex flex-wrap items-center gap-3">
                <Link className="text-brand-600 underline dark:text-blue-300" href={`/traces/${encodeURIComponent(id)}`}>{id}</Link>
                {external && <a className="font-sans text-slate-500 underline dark:text-slate-400" href={external} target="_blank" rel="noreferrer">open in trace backend ↗</a>}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
