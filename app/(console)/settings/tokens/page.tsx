import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { Forbidden } from "@/components/ui/forbidden";
import { requirePermission } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { listTokens } from "@/lib/tokens/service";
import { TokensClient } from "./tokens-client";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const { user, allowed } = await requirePermission("/settings/tokens", "tokens:manage");
  if (!allowed) return <Forbidden role={user.role} what="API token management" />;
  const tokens = await listTokens(db);
  return (
    <>
      <PageHeader
        title="API tokens"
        description="Tokens for bots, chat-ops and the touchline CLI. Each is scoped, expires, is stored only as a hash and is shown once at creation. Creating and revoking are audited."
      />
      <TokensClient initial={JSON.parse(JSON.stringify(tokens))} />
    </>
  );
}
