import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";

export default function IncidentNotFound() {
  return (
    <EmptyState title="No incident at this link" action={<Link className="text-sm underline" href="/incidents">All incidents</Link>}>
      Check that the link was copied whole. Incident links are long on purpose: they cannot be guessed.
    </EmptyState>
  );
}
