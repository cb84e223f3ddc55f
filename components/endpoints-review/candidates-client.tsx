"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, Td, Th } from "@/components/ui/table";
import { formatCount } from "@/lib/format";
import type { CandidateJson } from "@/lib/endpoints/candidates";
import { useCandidates, useDecideCandidate } from "./candidates-api";

const SOURCE = { observed: "observed paths", trace_route: "trace backend's http.route" } as Record<string, string>;
const STATUS_TONE = { pending: "warn", accepted: "good", rejected: "neutral" } as const;

/** Derived endpoint templates: admins (canWrite) accept one (optionally renamed) or reject it. */
export function CandidatesClient({ initial, canWrite }: { initial: CandidateJson[]; canWrite: boolean }) {
  const { data, isError, error } = useCandidates(initial);
  const rows = data ?? initial;
  return (
    <>
      {isError && <p role="alert" className="mb-3 text-sm text-red-700 dark:text-red-300">Could not refresh the templates: {error.message}</p>}
      <Table label="Derived endpoint templates">
        <thead>
          <tr>
            <Th>Template</Th>
            <Th>Derived from</Th>
            <Th className="text-right">Unmatched requests</Th>
            <Th>Status</Th>
            {canWrite && <Th className="sr-only">Actions</Th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => <CandidateRow key={c.id} c={c} canWrite={canWrite} />)}
        </tbody>
      </Table>
    </>
  );
}

function CandidateRow({ c, canWrite }: { c: CandidateJson; canWrite: boolean }) {
  const [renaming, setRenaming] = useState(false);
  const [path, setPath] = useState(c.path);
  const decide = useDecideCandidate();
  const inputId = `tpl-${c.id}`;
  return (
    <tr data-testid="candidate-row">
      <Td>
        <span className="mr-1.5 font-mono text-xs text-slate-500">{c.method}</span>
        {renaming ? (
          <>
            <label htmlFor={inputId} className="sr-only">Template for {c.method} {c.path}</label>
            <input id={inputId} autoFocus value={path} onChange={(e) => setPath(e.target.value)} onKeyDown={(e) => e.key === "Escape" && setRenaming(false)}
              className="w-72 rounded-lg border border-slate-300 bg-white px-2 py-1 font-mono text-xs dark:border-slate-700 dark:bg-slate-950" />
          </>
        ) : (
          <span className="font-mono">{c.path}</span>
        )}
        <div className="text-xs text-slate-500 dark:text-slate-400">{c.apiName ?? c.apiId}{c.examplePath ? ` · e.g. ${c.examplePath}` : ""}</div>
      </Td>
      <Td className="text-xs">{SOURCE[c.source] ?? c.source}</Td>
      <Td className="text-right tabular-nums">{formatCount(c.requests)}</Td>
      <Td>
        <Badge tone={STATUS_TONE[c.status as keyof typeof STATUS_TONE] ?? "neutral"}>{c.status}</Badge>
        {c.decidedBy && <div className="text-xs text-slate-500 dark:text-slate-400">by {c.decidedBy}</div>}
      </Td>
      {canWrite && (
        <Td className="whitespace-nowrap text-right">
          {c.status !== "accepted" && (
            <>
              <Button variant="primary" disabled={decide.isPending} onClick={() => decide.mutate({ id: c.id, decision: "accept", path: renaming && path !== c.path ? path : undefined })}
                aria-label={`Accept ${c.method} ${renaming ? path : c.path} as an endpoint`}>
                {decide.isPending ? "Saving…" : renaming ? "Accept as renamed" : "Accept"}
              </Button>
              {!renaming && <Button variant="ghost" onClick={() => setRenaming(true)} aria-label={`Rename ${c.method} ${c.path}`}>Rename</Button>}
              {c.status === "pending" && !renaming && (
                <Button variant="ghost" disabled={decide.isPending} onClick={() => decide.mutate({ id: c.id, decision: "reject" })} aria-label={`Reject ${c.method} ${c.path}`}>Reject</Button>
              )}
            </>
          )}
          {decide.isError && <span role="alert" className="ml-2 text-xs text-red-700 dark:text-red-300">{decide.error.message}</span>}
        </Td>
      )}
    </tr>
  );
}
