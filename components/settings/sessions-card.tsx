"use client";

// Who is signed in, per person, with "Sign out everywhere": ends every browser session of that
// person at once (a copied cookie too). Admins only; audited as auth.sessions_revoke.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { fetchJson } from "@/components/ui/fetch-json";
import { formatRelative, formatUtc } from "@/lib/format";

export interface SessionJson {
  id: string;
  createdAt: string;
  expires: string;
  role: string;
  ip: string | null;
  userAgent: string | null;
  user: { id: string; email: string | null; name: string | null };
}

function byUser(sessions: SessionJson[]): { user: SessionJson["user"]; sessions: SessionJson[] }[] {
  const out = new Map<string, { user: SessionJson["user"]; sessions: SessionJson[] }>();
  for (const s of sessions) (out.get(s.user.id) ?? out.set(s.user.id, { user: s.user, sessions: [] }).get(s.user.id)!).sessions.push(s);
  return [...out.values()];
}

function SignOutEverywhere({ user }: { user: SessionJson["user"] }) {
  const qc = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const label = user.email ?? user.name ?? user.id;
  const revoke = useMutation({
    mutationFn: () => fetchJson<{ revoked: number }>("/api/sessions/revoke", { method: "POST", json: { userId: user.id } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["sessions"] }),
  });
  if (!confirming) return <Button variant="ghost" onClick={() => setConfirming(true)} aria-label={`Sign out ${label} everywhere`}>Sign out everywhere</Button>;
  return (
    <span className="flex items-center gap-2">
      <Button variant="danger" disabled={revoke.isPending} onClick={() => revoke.mutate()} aria-label={`Confirm signing out ${label} everywhere`}>
        {revoke.isPending ? "Signing out…" : "Confirm"}
      </Button>
      <Button variant="ghost" onClick={() => setConfirming(false)}>Cancel</Button>
      {revoke.isError && <span role="alert" className="text-xs text-red-700 dark:text-red-300">{revoke.error.message}</span>}
    </span>
  );
}

export function SessionsCard({ initial }: { initial: SessionJson[] }) {
  const { data } = useQuery({
    queryKey: ["sessions"],
    queryFn: ({ signal }) => fetchJson<{ sessions: SessionJson[] }>("/api/sessions", { signal }).then((b) => b.sessions),
    initialData: initial,
  });
  const people = byUser(data);
  return (
    <Card title="Signed-in sessions">
      {people.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">Nobody is signed in.</p>
      ) : (
        <ul className="divide-y divide-slate-100 dark:divide-slate-800" aria-label="Signed-in people">
          {people.map(({ user, sessions }) => (
            <li key={user.id} className="flex items-center justify-between gap-3 py-2 text-sm" data-testid="session-user" data-email={user.email ?? ""}>
              <span className="min-w-0">
                <span className="block truncate font-medium">{user.email ?? user.name ?? user.id}</span>
                <span className="block truncate text-xs text-slate-500 dark:text-slate-400" title={sessions.map((s) => `${s.ip ?? "?"} · ${s.userAgent ?? "?"}`).join("\n")}>
                  {sessions.length} session{sessions.length === 1 ? "" : "s"} · {sessions[0].role} · latest <span title={formatUtc(sessions[0].createdAt)}>{formatRelative(sessions[0].createdAt)}</span>
                  {sessions[0].ip ? ` from ${sessions[0].ip}` : ""}
                </span>
              </span>
              <SignOutEverywhere user={user} />
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
