import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function KeyNotFound() {
  return (
    <EmptyState title="No such key" action={<ButtonLink href="/keys">All keys</ButtonLink>}>
      Touchline has never seen a Tyk key with this hash: the link may be wrong or cut short.
    </EmptyState>
  );
}
