/** Pure helpers for the identity-rule draft the admin edits before saving (no I/O). */
import type { IdentityRuleInput } from "@/lib/queries/traces-mapping-schemas";
import type { IdentityRuleView } from "@/lib/queries/traces-mappings";

export interface DraftRule extends IdentityRuleInput {
  /** Set for rules already saved. */
  id?: string;
}

const sameRule = (a: IdentityRuleInput, b: IdentityRuleInput) => a.attribute === b.attribute && a.field === b.field && a.priority === b.priority;

export function sortDraft(rules: DraftRule[]): DraftRule[] {
  return [...rules].sort((a, b) => a.priority - b.priority);
}

/** What saving the draft means: saved rules no longer in it are removed, rules without an id are added. */
export function draftChanges(saved: IdentityRuleView[], draft: DraftRule[]): { remove: string[]; add: IdentityRuleInput[] } {
  const kept = new Set(draft.filter((d) => d.id).map((d) => d.id));
  const remove = saved.filter((s) => !kept.has(s.id)).map((s) => s.id);
  const add = draft
    .filter((d) => !d.id)
    // Re-adding exactly a saved rule that is being kept would be a no-op conflict.
    .filter((d) => !saved.some((s) => kept.has(s.id) && sameRule(d, { attribute: s.attribute, field: s.field as IdentityRuleInput["field"], priority: s.priority })))
    .map(({ attribute, field, priority }) => ({ attribute, field, priority }));
  return { remove, add };
}

/** Why a new rule cannot join the draft, or null. (attribute, field) is unique. */
export function draftConflict(draft: DraftRule[], rule: IdentityRuleInput): string | null {
  if (!rule.attribute.trim()) return "Enter a span attribute";
  return draft.some((d) => d.attribute === rule.attribute.trim() && d.field === rule.field) ? `${rule.attribute} already maps to ${rule.field}` : null;
}
