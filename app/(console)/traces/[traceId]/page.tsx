import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { Badge } from "@/components/ui/badge";
import { IdentityPanel } from "@/components/traces/identity-panel";
import { WaterfallView } from "@/components/traces/waterfall";
import { TraceListCard } from "@/components/traces/trace-list";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { formatMs } from "@/lib/format";
import { loadTraceView } from "@/lib/queries/traces";
import { slowestTraces } from "@/lib/queries/endpoint-traces";

export const metadata: Metadata = { title: "Trace" };
export const dynamic = "force-dynamic";

const ID = /^[A-Za-z0-9_-]{1,128}$/;

export default async function TracePage({ params }: { params: Promise<{ traceId: string }> }) {
  const { traceId } = await params;
  const id = decodeURIComponent(traceId);
  const user = await requireUser(`/traces/${encodeURIComponent(id)}`);
  if (!ID.test(id)) notFound();
  const view = await loadTraceView(db, id);

  if (view.kind === "unconfigured") {
    return (
      <>
        <PageHeader title="Trace" />
        <EmptyState title="No trace backend configured">
          Set <code>LIGHTSTEP_ORG</code>, <code>LIGHTSTEP_PROJECT</code> and <code>LIGHTSTEP_API_KEY</code> to open traces.
        </EmptyState>
      </>
    );
  }
  if (view.kind === "not_found") {
    return (
      <>
        <PageHeader title="Trace" />
        <EmptyState title="Trace not found" action={<Link href="/endpoints" className="text-sm font-medium text-brand-700 hover:underline dark:text-blue-300">Back to endpoints</Link>}>
          The trace backend has no stored trace for <code>{id}</code>. Stored traces expire after the backend&apos;s retention period.
        </EmptyState>
      </>
    );
  }
  if (view.kind === "error") {
    return (
      <>
        <PageHeader title="Trace" />
        <div role="alert" className="rounded-2xl border border-red-300 bg-red-50 px-6 py-5 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
          <h2 className="font-semibold">The trace backend did not answer</h2>
          <p className="mt-1">{view.message}</p>
          <p className="mt-1 text-xs">
            {view.code === "auth" ? "An admin needs to check the trace backend's API key." : "Try again in a moment."}
          </p>
        </div>
      </>
    );
  }

  const list = view.endpoint ? await slowestTraces(db, view.endpoint.id, view.endpoint.at) : null;
  return (
    <>
      <PageHeader
        title={view.root ? view.root.name : "Trace"}
        description={`Trace ${view.traceId}${view.root ? ` · ${view.root.service} · ${formatMs(view.root.durationMs)}` : ""} · ${view.waterfall.rows.length} spans`}
        actions={
          <>
            {view.root?.isError && <Badge tone="bad">error</Badge>}
            {view.endpoint && (
              <Link href={`/endpoints/${view.endpoint.id}`} className="text-sm font-medium text-brand-700 hover:underline dark:text-blue-300">
                {view.endpoint.label}
              </Link>
            )}
            {view.deepLink && (
              <a
                href={view.deepLink}
                target="_blank"
                rel="noopener noreferrer"
                className="inline-flex items-center gap-1 rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:hover:bg-slate-800"
              >
                Open in Lightstep <span aria-hidden="true">↗</span>
              </a>
            )}
          </>
        }
      />
      <div className="grid gap-5 xl:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="min-w-0 space-y-5">
          <IdentityPanel highlights={view.highlights} identity={view.identity} canEditRules={can(user.role, "settings:write")} />
          <WaterfallView waterfall={view.waterfall} />
        </div>
        {list && view.endpoint && <TraceListCard list={list} endpointLabel={view.endpoint.label} currentSpanId={view.spanId} />}
      </div>
    </>
  );
}
