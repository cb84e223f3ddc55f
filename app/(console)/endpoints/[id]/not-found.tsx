import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function EndpointNotFound() {
  return (
    <EmptyState title="No such endpoint" action={<ButtonLink href="/endpoints">All endpoints</ButtonLink>}>
      It may have been removed from its API definition in Tyk, or the link is wrong.
    </EmptyState>
  );
}
