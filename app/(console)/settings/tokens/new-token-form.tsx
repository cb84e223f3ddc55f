"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { EXPIRY_CHOICES, TOKEN_SCOPE_NAMES } from "@/lib/tokens/schema";
import type { TokenScope } from "@/lib/auth/permissions";
import { useCreateToken } from "./use-tokens";

const SCOPE_HELP: Record<TokenScope, string> = {
  read: "endpoints, investigations, incidents",
  "incidents:write": "create and update incidents",
  "sync:run": "start a sync",
  "calls:read": "search and export the call trail",
  "audit:read": "read and export the audit trail",
};

/** Create form; the new token is shown here once, with a copy button, and never again. */
export function NewTokenForm() {
  const create = useCreateToken();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<TokenScope[]>(["read"]);
  const [expiresIn, setExpiresIn] = useState<(typeof EXPIRY_CHOICES)[number]>("30d");
  const [copied, setCopied] = useState(false);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setCopied(false);
    create.mutate({ name, scopes, expiresIn }, { onSuccess: () => setName("") });
  };
  const toggle = (s: TokenScope) => setScopes((cur) => (cur.includes(s) ? cur.filter((x) => x !== s) : [...cur, s]));

  return (
    <Card title="New token">
      <form onSubmit={submit} className="flex flex-col gap-4" aria-label="New API token">
        <Field label="Name" name="name" required maxLength={80} placeholder="e.g. slack-bot" value={name} onChange={(e) => setName(e.target.value)} />
        <fieldset className="flex flex-col gap-1.5">
          <legend className="mb-1 text-xs font-medium text-slate-600 dark:text-slate-300">Scopes</legend>
          {TOKEN_SCOPE_NAMES.map((s) => (
            <label key={s} className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={scopes.includes(s)} onChange={() => toggle(s)} className="h-4 w-4 accent-brand-600" />
              <span className="font-mono text-xs">{s}</span>
              <span className="text-xs text-slate-500 dark:text-slate-400">— {SCOPE_HELP[s]}</span>
            </label>
          ))}
        </fieldset>
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-300">
          Expires after
          <select
            name="expiresIn"
            value={expiresIn}
            onChange={(e) => setExpiresIn(e.target.value as (typeof EXPIRY_CHOICES)[number])}
            className="w-40 rounded-lg border border-slate-300 bg-white px-2.5 py-1.5 text-sm font-normal focus:outline-none focus:ring-2 focus:ring-brand-600/30 dark:border-slate-700 dark:bg-slate-950"
          >
            {EXPIRY_CHOICES.map((c) => <option key={c} value={c}>{c === "never" ? "never" : c}</option>)}
          </select>
        </label>
        <div>
          <Button type="submit" variant="primary" disabled={create.isPending || !name.trim() || !scopes.length}>
            {create.isPending ? "Creating…" : "Create token"}
          </Button>
        </div>
        {create.isError && <p role="alert" className="text-sm text-red-700 dark:text-red-300">{create.error.message}</p>}
      </form>
      {create.data && (
        <div role="status" className="mt-5 rounded-xl border border-emerald-300 bg-emerald-50 p-4 text-sm dark:border-emerald-800 dark:bg-emerald-950">
          <p className="font-semibold text-emerald-900 dark:text-emerald-100">Token “{create.data.tokenInfo.name}” created. Copy it now — it will not be shown again.</p>
          <div className="mt-2 flex items-center gap-2">
            <code data-testid="new-token" className="min-w-0 flex-1 break-all rounded-lg bg-white px-2 py-1.5 font-mono text-xs text-slate-900 dark:bg-slate-900 dark:text-slate-100">{create.data.token}</code>
            <Button
              aria-label="Copy token"
              onClick={() => navigator.clipboard?.writeText(create.data.token).then(() => setCopied(true), () => setCopied(false))}
            >
              {copied ? "Copied" : "Copy"}
            </Button>
          </div>
          <p className="mt-2 text-xs text-emerald-900/80 dark:text-emerald-100/80">Use it as <code className="font-mono">Authorization: Bearer …</code> or <code className="font-mono">TOUCHLINE_TOKEN</code> for the CLI.</p>
        </div>
      )}
    </Card>
  );
}
