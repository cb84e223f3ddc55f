"use client";

// The link and the summary to share, and — for the owner or an admin — revoking or renewing the link.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import type { IncidentJson } from "@/lib/incidents/types";
import { reshareIncidentLink, revokeIncidentLink } from "./api";
import { CopyButton } from "./copy-button";

export function SharePanel({ incident }: { incident: IncidentJson }) {
  const router = useRouter();
  const revoke = useMutation({ mutationFn: () => revokeIncidentLink(incident.slug), onSuccess: () => router.refresh() });
  const reshare = useMutation({ mutationFn: () => reshareIncidentLink(incident.slug), onSuccess: ({ slug }) => router.replace(`/incidents/${slug}`) });
  const error = revoke.error ?? reshare.error;
  return (
    <div className="space-y-3">
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-300">
        Link (opens after SSO sign-in{incident.visibility === "responders" ? ", responders and admins only" : ""})
        <input readOnly value={incident.url} data-testid="share-link" onFocus={(e) => e.currentTarget.select()}
          className="rounded-lg border border-slate-300 bg-slate-50 px-2.5 py-1.5 font-mono text-xs text-slate-800 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-200" />
      </label>
      <div className="flex flex-wrap gap-2">
        <CopyButton text={incident.url} label="Copy link" testId="copy-link" />
        <CopyButton text={incident.markdown} label="Copy Markdown" testId="copy-summary" />
        <CopyButton text={incident.slack} label="Copy for Slack" testId="copy-slack" />
        <CopyButton text={incident.jira} label="Copy for Jira" testId="copy-jira" />
        {incident.you.canManageLink && (
          <>
            <Button variant="danger" disabled={revoke.isPending}
              onClick={() => { if (window.confirm("Revoke this link? Anyone opening it will see that it was revoked.")) revoke.mutate(); }}>
              Revoke link
            </Button>
            <Button variant="ghost" disabled={reshare.isPending} onClick={() => reshare.mutate()} title="Issue a new link; the current one stops working">
              New link
            </Button>
          </>
        )}
      </div>
      {error && <p role="alert" className="text-sm text-red-700 dark:text-red-300">{error.message}</p>}
      {([["Markdown", incident.markdown, "summary-markdown"], ["Slack", incident.slack, "summary-slack"], ["Jira", incident.jira, "summary-jira"]] as const).map(([name, text, testId]) => (
        <details key={name}>
          <summary className="cursor-pointer text-xs text-slate-600 dark:text-slate-300">Summary ({name})</summary>
          <pre className="mt-1 whitespace-pre-wrap break-words rounded bg-slate-50 p-2 text-xs dark:bg-slate-950" data-testid={testId}>{text}</pre>
        </details>
      ))}
    </div>
  );
}
