import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function PolicyNotFound() {
  return (
    <EmptyState title="No such policy" action={<ButtonLink href="/policies">All policies</ButtonLink>}>
      Touchline has never seen a Tyk policy with this id: the link may be wrong or cut short.
    </EmptyState>
  );
}
