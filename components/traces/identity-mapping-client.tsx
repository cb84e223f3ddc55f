"use client";

import { useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { IDENTITY_FIELDS } from "@/lib/traces/identity-mapping";
import type { IdentityRuleInput } from "@/lib/queries/traces-mapping-schemas";
import type { IdentityRuleView } from "@/lib/queries/traces-mappings";
import { draftChanges, draftConflict, sortDraft, type DraftRule } from "./identity-draft";
import { IdentityPreviewTable } from "./identity-preview-table";
import { useIdentityPreview, useIdentityRules, useSaveIdentityRules } from "./mappings-api";

type Field = IdentityRuleInput["field"];
const toDraft = (rules: IdentityRuleView[]): DraftRule[] => rules.map((r) => ({ id: r.id, attribute: r.attribute, field: r.field as Field, priority: r.priority }));
const input = "rounded-lg border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-950";

/** Identity rules as an editable draft with a live preview on recent spans; Save applies it. */
export function IdentityMappingClient({ initial, canWrite }: { initial: IdentityRuleView[]; canWrite: boolean }) {
  const saved = useIdentityRules(initial).data ?? initial;
  const [draft, setDraft] = useState<DraftRule[]>(() => toDraft(initial));
  const [attribute, setAttribute] = useState("");
  const [field, setField] = useState<Field>("key_alias");
  const [priority, setPriority] = useState(100);
  const [formError, setFormError] = useState<string | null>(null);
  const save = useSaveIdentityRules();
  const changes = useMemo(() => draftChanges(saved, draft), [saved, draft]);
  const dirty = changes.add.length + changes.remove.length > 0;
  const rules = useMemo(() => sortDraft(draft).map(({ attribute, field, priority }) => ({ attribute, field, priority })), [draft]);
  const preview = useIdentityPreview(rules);

  const add = (e: React.FormEvent) => {
    e.preventDefault();
    const rule = { attribute: attribute.trim(), field, priority };
    const conflict = draftConflict(draft, rule);
    setFormError(conflict);
    if (conflict) return;
    setDraft((d) => [...d, rule]);
    setAttribute("");
  };

  return (
    <div className="space-y-5">
      <Card
        title="Rules (lowest priority number first; the first rule that yields a value for a field wins)"
        actions={
          canWrite && (
            <div className="flex items-center gap-2">
              {dirty && <span className="text-xs text-amber-700 dark:text-amber-300">Unsaved changes</span>}
              <Button disabled={!dirty || save.isPending} onClick={() => setDraft(toDraft(saved))}>
                Discard
              </Button>
              <Button
                variant="primary"
                disabled={!dirty || save.isPending}
                onClick={() => save.mutate(changes, { onSuccess: (rules) => setDraft(toDraft(rules)) })}
              >
                {save.isPending ? "Saving…" : "Save rules"}
              </Button>
            </div>
          )
        }
      >
        {save.isError && (
          <p role="alert" className="mb-2 text-sm text-red-700 dark:text-red-300">
            Saving failed: {save.error.message}
          </p>
        )}
        {save.isSuccess && !dirty && (
          <p role="status" className="mb-2 text-sm text-emerald-700 dark:text-emerald-300">
            Saved. The next trace sync attributes new spans with these rules.
          </p>
        )}
        {draft.length === 0 && (
          <p className="mb-2 text-sm text-slate-500">No rules: the built-in defaults apply (key hash, key alias, end-user email).</p>
        )}
        <Table label="Identity rules">
          <thead>
            <tr>
              <Th>Span attribute</Th>
              <Th>Identity field</Th>
              <Th className="text-right">Priority</Th>
              {canWrite && <Th className="sr-only">Actions</Th>}
            </tr>
          </thead>
          <tbody>
            {sortDraft(draft).map((r) => (
              <tr key={r.id ?? `new-${r.attribute}-${r.field}`} data-testid="rule-row">
                <Td className="font-mono text-xs">
                  {r.attribute} {!r.id && <Badge tone="info">new</Badge>}
                </Td>
                <Td className="font-mono text-xs">{r.field}</Td>
                <Td className="text-right font-mono text-xs">{r.priority}</Td>
                {canWrite && (
                  <Td className="text-right">
                    <Button variant="ghost" onClick={() => setDraft((d) => d.filter((x) => x !== r))} aria-label={`Remove the rule ${r.attribute} → ${r.field}`}>
                      Remove
                    </Button>
                  </Td>
                )}
              </tr>
            ))}
          </tbody>
        </Table>
        {canWrite && (
          <form onSubmit={add} className="mt-4 flex flex-wrap items-end gap-3" aria-label="Add a rule">
            <label className="flex flex-col gap-1 text-xs text-slate-600 dark:text-slate-300">
              Span attribute
              <input className={`${input} w-64 font-mono`} value={attribute} onChange={(e) => setAttribute(e.target.value)} placeholder="e.g. tyk.api.apikey.alias" />
            </label>
            <label className="flex flex-col gap-1 text-xs text-slate-600 dark:text-slate-300">
              Identity field
              <select className={input} value={field} onChange={(e) => setField(e.target.value as Field)}>
                {IDENTITY_FIELDS.map((f) => (
                  <option key={f} value={f}>
                    {f}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex flex-col gap-1 text-xs text-slate-600 dark:text-slate-300">
              Priority
              <input className={`${input} w-24`} type="number" min={0} max={10000} value={priority} onChange={(e) => setPriority(Number(e.target.value) || 0)} />
            </label>
            <Button type="submit">Add to draft</Button>
            {formError && (
              <span role="alert" className="text-xs text-red-700 dark:text-red-300">
                {formError}
              </span>
            )}
          </form>
        )}
      </Card>
      <Card title="Preview on recent spans">
        <IdentityPreviewTable rows={preview.data} loading={preview.isPending} error={preview.isError ? preview.error.message : null} refreshing={preview.isFetching} />
      </Card>
    </div>
  );
}
