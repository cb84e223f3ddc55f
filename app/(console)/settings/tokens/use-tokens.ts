"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/components/ui/fetch-json";
import type { CreateTokenBody } from "@/lib/tokens/schema";

export interface TokenJson {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  status: "active" | "revoked" | "expired";
}

export function useTokens(initial: TokenJson[]) {
  return useQuery({ queryKey: ["tokens"], queryFn: ({ signal }) => fetchJson<{ tokens: TokenJson[] }>("/api/tokens", { signal }).then((b) => b.tokens), initialData: initial });
}

export function useCreateToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateTokenBody) => fetchJson<{ token: string; tokenInfo: TokenJson }>("/api/tokens", { method: "POST", json: body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["tokens"] }),
  });
}

export function useRevokeToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => fetchJson<{ tokenInfo: TokenJson }>(`/api/tokens/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["tokens"] }),
  });
}
