"use client";

// "Create incident" on the endpoint page: a dialog (title, severity, owner, who may view) that
// freezes the current investigation window into an incident and opens it.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { SEVERITIES, VISIBILITIES, type Severity, type Visibility } from "@/lib/incidents/schema";
import { postIncident } from "./api";
import { useOwners } from "./use-owners";

export interface CreateIncidentButtonProps {
  endpointId: string;
  /** The analysed window (epoch ms or ISO). */
  from: number | string;
  to: number | string;
  defaultTitle: string;
  /** The investigation's user-type filter, kept in the frozen incident. */
  userType?: string | null;
}

const SEVERITY_TEXT: Record<Severity, string> = { sev1: "SEV1 — critical", sev2: "SEV2 — major", sev3: "SEV3 — minor", sev4: "SEV4 — low" };
const VISIBILITY_TEXT: Record<Visibility, string> = { all: "Everyone with console access", responders: "Responders and admins only" };
const inputClass = "rounded-lg border border-slate-300 bg-white px-2.5 py-1.5 text-sm font-normal text-slate-900 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100";
const labelClass = "flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-300";
const iso = (t: number | string) => new Date(t).toISOString();

export function CreateIncidentButton({ endpointId, from, to, defaultTitle, userType }: CreateIncidentButtonProps) {
  const router = useRouter();
  const ref = useRef<HTMLDialogElement>(null);
  const openerRef = useRef<HTMLElement | null>(null);
  const titleId = useId();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState(defaultTitle);
  const [severity, setSeverity] = useState<Severity>("sev2");
  const [visibility, setVisibility] = useState<Visibility>("all");
  const [ownerId, setOwnerId] = useState<string>("");
  const owners = useOwners(open);
  // The owner defaults to me once the list is in.
  const owner = ownerId || owners.data?.me || "";
  const create = useMutation({
    mutationFn: () => postIncident({ endpointId, from: iso(from), to: iso(to), title, severity, visibility, ...(owner ? { ownerId: owner } : {}), ...(userType ? { userType } : {}) }),
    onSuccess: ({ slug }) => router.push(`/incidents/${slug}`),
  });

  useEffect(() => {
    const d = ref.current;
    if (open && d && !d.open) d.showModal();
    if (!open && d?.open) d.close();
  }, [open]);

  const close = () => {
    setOpen(false);
    openerRef.current?.focus();
  };

  return (
    <>
      <Button variant="primary" onClick={(e) => { openerRef.current = e.currentTarget; setTitle(defaultTitle); create.reset(); setOpen(true); }} aria-haspopup="dialog">
        Create incident
      </Button>
      <dialog ref={ref} aria-labelledby={titleId} onClose={close} onCancel={(e) => { e.preventDefault(); close(); }}
        className="m-auto w-full max-w-md rounded-2xl border border-slate-200 bg-white p-0 text-slate-900 shadow-2xl backdrop:bg-slate-900/40 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-100">
        <form className="flex flex-col gap-4 p-5" onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
          <div>
            <h2 id={titleId} className="text-base font-semibold">Create incident</h2>
            <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">
              Freezes this window&apos;s chart, suspects, exemplar traces and the policy and key versions involved, and gives it a link that needs SSO.
            </p>
          </div>
          <label className={labelClass}>
            Title
            <input className={inputClass} name="title" required minLength={3} maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} autoFocus />
          </label>
          <label className={labelClass}>
            Severity
            <select className={inputClass} name="severity" value={severity} onChange={(e) => setSeverity(e.target.value as Severity)}>
              {SEVERITIES.map((s) => <option key={s} value={s}>{SEVERITY_TEXT[s]}</option>)}
            </select>
          </label>
          <label className={labelClass}>
            Owner
            <select className={inputClass} name="owner" value={owner} onChange={(e) => setOwnerId(e.target.value)} disabled={owners.isPending}>
              {owners.isPending && <option value="">Loading…</option>}
              {owners.data?.owners.map((o) => (
                <option key={o.id} value={o.id}>{o.id === owners.data.me ? `Me (${o.email ?? o.name})` : `${o.name ?? o.email} — ${o.email ?? ""}`}</option>
              ))}
            </select>
            {owners.isError && <span role="alert" className="font-normal text-red-700 dark:text-red-300">Could not load people: {owners.error.message}</span>}
          </label>
          <label className={labelClass}>
            Who can open the link
            <select className={inputClass} name="visibility" value={visibility} onChange={(e) => setVisibility(e.target.value as Visibility)}>
              {VISIBILITIES.map((v) => <option key={v} value={v}>{VISIBILITY_TEXT[v]}</option>)}
            </select>
          </label>
          {create.isError && <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">{create.error.message}</p>}
          <div className="flex justify-end gap-2">
            <Button onClick={close} variant="ghost">Cancel</Button>
            <Button type="submit" variant="primary" disabled={create.isPending || create.isSuccess}>
              {create.isPending || create.isSuccess ? "Freezing evidence…" : "Create incident"}
            </Button>
          </div>
        </form>
      </dialog>
    </>
  );
}
