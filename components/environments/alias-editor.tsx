"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { fetchJson } from "@/components/ui/fetch-json";
import { Field } from "@/components/ui/field";

/** Admins add and remove aliases; the server page re-renders with the new grouping. */
export function AliasEditor({ aliases, canonical }: { aliases: { name: string; environment: string }[]; canonical: readonly string[] }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [environment, setEnvironment] = useState(canonical[0] ?? "");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (call: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await call();
      router.refresh();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="flex flex-col gap-3">
      {aliases.length > 0 && (
        <ul aria-label="Aliases" className="flex flex-col gap-1 text-sm">
          {aliases.map((a) => (
            <li key={a.name} className="flex items-center gap-3">
              <code>{a.name}</code> → <code>{a.environment}</code>
              <Button variant="ghost" disabled={busy} aria-label={`Remove alias ${a.name}`}
                onClick={() => run(() => fetchJson(`/api/environments/aliases/${encodeURIComponent(a.name)}`, { method: "DELETE" }))}>Remove</Button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await fetchJson("/api/environments/aliases", { method: "POST", json: { name, environment } });
            setName("");
          });
        }}
      >
        <Field label="Name as declared" value={name} onChange={(e) => setName(e.target.value)} placeholder="live-eu" required />
        <Field label="Counts as" value={environment} onChange={(e) => setEnvironment(e.target.value)} list="canonical-environments" required />
        <datalist id="canonical-environments">{canonical.map((c) => <option key={c} value={c} />)}</datalist>
        <Button type="submit" variant="primary" disabled={busy}>Add alias</Button>
      </form>
      {error && <p role="alert" className="text-sm text-red-700 dark:text-red-300">{error}</p>}
    </div>
  );
}
