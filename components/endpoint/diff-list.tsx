import { DiffTable } from "@/components/tyk/diff-table";
import type { ChangeMarker } from "@/lib/queries/endpoint-page-types";

/** A change's diff as the console shows every diff: a field table, before → after. */
export function DiffList({ diff, label = "Diff", empty = "No field-level diff recorded for this change." }: { diff: ChangeMarker["diff"]; label?: string; empty?: string }) {
  return <DiffTable diff={diff} label={label} empty={empty} />;
}
