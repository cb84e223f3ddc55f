import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { LimitsPanel } from "@/components/limits/limits-panel";
import { StaleBanner } from "@/components/sync/stale-banner";
import { PageHeader } from "@/components/ui/page-header";
import { Forbidden } from "@/components/ui/forbidden";
import { ApiError } from "@/lib/api/errors";
import { can } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { investigationQuery } from "@/lib/investigation/params";
import { parseLinkTime } from "@/lib/time-format";
import { loadEndpointPage } from "@/lib/queries/endpoint-page";
import { EndpointClient } from "./endpoint-client";
import { UnknownUserType } from "@/components/endpoint/user-type-chip";
import { EnvironmentChip, EnvironmentMismatch } from "@/components/endpoint/environment-chip";
import { checkEndpointEnvironment } from "@/lib/environments/scope";

type SearchParams = Record<string, string | string[] | undefined>;
interface Props {
  params: Promise<{ id: string }>;
  searchParams: Promise<SearchParams>;
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const e = await db.endpoint.findUnique({ where: { id }, select: { method: true, path: true } });
  return { title: e ? `${e.method} ${e.path}` : "Endpoint" };
}

export default async function EndpointPage({ params, searchParams }: Props) {
  const { id } = await params;
  const sp = await searchParams;
  const query = new URLSearchParams(Object.entries(sp).flatMap(([k, v]) => (v == null ? [] : [[k, one(v) ?? ""]]))).toString();
  const { user, allowed } = await requirePermission(`/endpoints/${encodeURIComponent(id)}${query ? `?${query}` : ""}`, "investigations:read");
  if (!allowed) return <Forbidden role={user.role} what="Endpoint investigations" />;

  // A link's time without a zone is read as UTC (browsers disagree on it), and the page says so.
  const from = one(sp.from), to = one(sp.to);
  const zoneless = [from, to].some((t) => parseLinkTime(t)?.zoneless);
  const utc = (t: string | undefined) => {
    const p = parseLinkTime(t);
    return p?.zoneless ? new Date(p.ms).toISOString() : t;
  };
  const parsed = investigationQuery.safeParse({ from: utc(from), to: utc(to), lookback: one(sp.lookback), userType: one(sp.userType), env: one(sp.env) });
  const req = parsed.success ? parsed.data : {};
  const rest = new URLSearchParams(query);
  rest.delete("env");
  const withoutEnv = `/endpoints/${encodeURIComponent(id)}${rest.size ? `?${rest}` : ""}`;
  let data, environment: string | null = null;
  try {
    if (req.env) environment = await checkEndpointEnvironment(db, id, req.env);
    data = await loadEndpointPage(db, id, req);
  } catch (err) {
    if (err instanceof ApiError && err.code === "not_found") notFound();
    if (err instanceof ApiError && err.field === "env") return <EnvironmentMismatch message={err.message} href={withoutEnv} />;
    if (err instanceof ApiError && err.field === "userType") return <UnknownUserType message={err.message} href={`/endpoints/${encodeURIComponent(id)}?${new URLSearchParams(Object.entries({ from, to }).filter((e): e is [string, string] => !!e[1]))}`} />;
    throw err;
  }
  const e = data.investigation.endpoint;
  const initialWindow = req.from != null && req.to != null ? { from: req.from, to: req.to } : null;
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500 dark:text-slate-400">
        <Link href={environment ? `/endpoints?${new URLSearchParams({ env: environment })}` : "/endpoints"} className="hover:underline">Endpoints</Link> <span aria-hidden="true">/</span> {e.apiName}
      </nav>
      <PageHeader
        title={`${e.method} ${e.path}`}
        description={`${e.apiName} · trace operation ${e.operation ?? "unmapped"} · computed in ${data.investigation.computedInMs} ms`}
      />
      <StaleBanner kind="traces" />
      {environment && <EnvironmentChip environment={environment} removeHref={withoutEnv} />}
      {zoneless && parsed.success && (
        <p role="note" data-testid="zoneless-note" className="mb-4 rounded-lg bg-sky-50 px-3 py-2 text-sm text-sky-900 dark:bg-sky-950 dark:text-sky-100">
          The link&apos;s times have no time zone; they are read as UTC.
        </p>
      )}
      {!parsed.success && (
        <p role="alert" className="mb-4 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          The link&apos;s window is not valid ({parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}) — showing the latest spike instead.
        </p>
      )}
      <EndpointClient
        endpointId={e.id}
        canCreateIncident={can(user.role, "incidents:write")}
        userType={data.investigation.userType ?? null}
        initial={{ window: initialWindow, investigation: data.investigation, context: data.context, traceUi: data.traceUi }}
      />
      <LimitsPanel endpointId={e.id} canApply={can(user.role, "policies:write")} />
    </>
  );
}
