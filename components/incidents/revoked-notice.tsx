"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { reshareIncidentLink } from "./api";

/** What a revoked link shows: a clear statement, and for the owner or an admin the way back. */
export function RevokedNotice({ slug, canReshare, currentSlug, title }: { slug: string; canReshare: boolean; currentSlug: string | null; title: string | null }) {
  const router = useRouter();
  const reshare = useMutation({ mutationFn: () => reshareIncidentLink(slug), onSuccess: (r) => router.replace(`/incidents/${r.slug}`) });
  return (
    <div role="alert" data-testid="incident-revoked"
      className="rounded-2xl border border-slate-300 bg-white px-6 py-8 text-sm dark:border-slate-700 dark:bg-slate-900">
      <h1 className="text-lg font-semibold">This incident link was revoked</h1>
      <p className="mt-1 text-slate-600 dark:text-slate-300">
        Its owner or an admin withdrew it. If you still need the incident, ask them for a new link.
      </p>
      {canReshare && (
        <div className="mt-4 space-y-2 border-t border-slate-200 pt-4 dark:border-slate-800">
          <p>{title ? <>You can manage <strong>{title}</strong>.</> : "You can manage this incident."}</p>
          {currentSlug ? (
            <Link className="underline" href={`/incidents/${currentSlug}`}>Open it at its current link</Link>
          ) : (
            <Button variant="primary" disabled={reshare.isPending} onClick={() => reshare.mutate()}>Share again with a new link</Button>
          )}
          {reshare.isError && <p role="alert" className="text-red-700 dark:text-red-300">{reshare.error.message}</p>}
        </div>
      )}
    </div>
  );
}
