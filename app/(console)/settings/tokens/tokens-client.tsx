"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Td, Th } from "@/components/ui/table";
import { formatRelative, formatUtc } from "@/lib/format";
import { NewTokenForm } from "./new-token-form";
import { useRevokeToken, useTokens, type TokenJson } from "./use-tokens";

function RevokeButton({ token }: { token: TokenJson }) {
  const revoke = useRevokeToken();
  const [confirming, setConfirming] = useState(false);
  if (token.status === "revoked") return <span className="text-xs text-slate-500">revoked {formatRelative(token.revokedAt)}</span>;
  if (!confirming) return <Button variant="ghost" onClick={() => setConfirming(true)} aria-label={`Revoke token ${token.name}`}>Revoke</Button>;
  return (
    <span className="flex items-center gap-2">
      <Button variant="danger" onClick={() => revoke.mutate(token.id)} disabled={revoke.isPending} aria-label={`Confirm revoking token ${token.name}`}>
        {revoke.isPending ? "Revoking…" : "Confirm revoke"}
      </Button>
      <Button variant="ghost" onClick={() => setConfirming(false)}>Cancel</Button>
      {revoke.isError && <span role="alert" className="text-xs text-red-700 dark:text-red-300">{revoke.error.message}</span>}
    </span>
  );
}

/** Token list (never a raw token: name, prefix, scopes, status) beside the create form. */
export function TokensClient({ initial }: { initial: TokenJson[] }) {
  const { data: tokens, isError, error } = useTokens(initial);
  return (
    <div className="grid gap-5 xl:grid-cols-[minmax(0,2fr)_minmax(20rem,1fr)]">
      <div>
        {isError && <p role="alert" className="mb-3 text-sm text-red-700 dark:text-red-300">Could not refresh tokens: {error.message}</p>}
        {tokens.length === 0 ? (
          <EmptyState title="No API tokens yet">Create one for a bot, a chat-ops integration or the touchline CLI.</EmptyState>
        ) : (
          <Table label="API tokens">
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>Token</Th>
                <Th>Scopes</Th>
                <Th>Status</Th>
                <Th>Expires</Th>
                <Th>Last used</Th>
                <Th><span className="sr-only">Actions</span></Th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id} data-testid={`token-row-${t.name}`}>
                  <Td>
                    <span className="block font-medium">{t.name}</span>
                    <span className="text-xs text-slate-500">by {t.createdBy}</span>
                  </Td>
                  <Td className="font-mono text-xs">{t.prefix}…</Td>
                  <Td><span className="flex flex-wrap gap-1">{t.scopes.map((s) => <Badge key={s}>{s}</Badge>)}</span></Td>
                  <Td><Badge tone={t.status === "active" ? "good" : t.status === "expired" ? "warn" : "bad"}>{t.status}</Badge></Td>
                  <Td className="whitespace-nowrap text-xs">{t.expiresAt ? formatUtc(t.expiresAt) : "never"}</Td>
                  <Td className="whitespace-nowrap text-xs">{formatRelative(t.lastUsedAt)}</Td>
                  <Td><RevokeButton token={t} /></Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </div>
      <NewTokenForm />
    </div>
  );
}
