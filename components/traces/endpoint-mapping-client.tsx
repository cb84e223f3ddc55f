"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, Td, Th } from "@/components/ui/table";
import type { EndpointMappingView } from "@/lib/queries/traces-mappings";
import { useEndpointMappings, useSetEndpointMapping } from "./mappings-api";

/** Tyk endpoints ↔ trace operations; admins (canWrite) map one by hand or hand it back to auto. */
export function EndpointMappingClient({ initial, canWrite }: { initial: EndpointMappingView[]; canWrite: boolean }) {
  const { data, isError, error } = useEndpointMappings(initial);
  const [editing, setEditing] = useState<string | null>(null);
  const rows = data ?? initial;
  return (
    <>
      {isError && (
        <p role="alert" className="mb-3 text-sm text-red-700 dark:text-red-300">
          Could not refresh the mappings: {error.message}
        </p>
      )}
      <Table label="Endpoint mappings">
        <thead>
          <tr>
            <Th>Tyk endpoint</Th>
            <Th>Trace operation</Th>
            <Th>Source</Th>
            {canWrite && <Th className="sr-only">Actions</Th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid="mapping-row">
              <Td>
                <span className="mr-1.5 font-mono text-xs text-slate-500">{r.method}</span>
                <span className="font-mono">{r.path}</span>
                <div className="text-xs text-slate-500 dark:text-slate-400">{r.apiName}</div>
              </Td>
              <Td>
                {editing === r.id ? (
                  <EditOperation row={r} onDone={() => setEditing(null)} />
                ) : r.operation ? (
                  <span className="font-mono text-xs">{r.operation}</span>
                ) : (
                  <Badge tone="warn">unmapped</Badge>
                )}
              </Td>
              <Td>
                <Badge tone={r.mappingSource === "manual" ? "info" : "neutral"}>{r.mappingSource}</Badge>
              </Td>
              {canWrite && (
                <Td className="whitespace-nowrap text-right">
                  {editing !== r.id && (
                    <Button variant="ghost" onClick={() => setEditing(r.id)} aria-label={`Edit the mapping of ${r.method} ${r.path}`}>
                      Edit
                    </Button>
                  )}
                  {r.mappingSource === "manual" && editing !== r.id && <ResetButton row={r} />}
                </Td>
              )}
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}

function EditOperation({ row, onDone }: { row: EndpointMappingView; onDone: () => void }) {
  const [value, setValue] = useState(row.operation ?? `${row.method} ${row.path}`);
  const save = useSetEndpointMapping();
  const inputId = `op-${row.id}`;
  return (
    <form
      className="flex flex-wrap items-center gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ id: row.id, operation: value }, { onSuccess: onDone });
      }}
    >
      <label htmlFor={inputId} className="sr-only">
        Trace operation for {row.method} {row.path}
      </label>
      <input
        id={inputId}
        autoFocus
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => e.key === "Escape" && onDone()}
        className="w-72 rounded-lg border border-slate-300 bg-white px-2 py-1 font-mono text-xs dark:border-slate-700 dark:bg-slate-950"
      />
      <Button type="submit" variant="primary" disabled={save.isPending || !value.trim()}>
        {save.isPending ? "Saving…" : "Save"}
      </Button>
      <Button onClick={onDone}>Cancel</Button>
      {save.isError && (
        <span role="alert" className="w-full text-xs text-red-700 dark:text-red-300">
          {save.error.message}
        </span>
      )}
    </form>
  );
}

function ResetButton({ row }: { row: EndpointMappingView }) {
  const reset = useSetEndpointMapping();
  return (
    <>
      <Button variant="ghost" disabled={reset.isPending} onClick={() => reset.mutate({ id: row.id, operation: null })} aria-label={`Reset ${row.method} ${row.path} to the automatic mapping`}>
        {reset.isPending ? "Resetting…" : "Reset to auto"}
      </Button>
      {reset.isError && <span role="alert" className="ml-2 text-xs text-red-700 dark:text-red-300">{reset.error.message}</span>}
    </>
  );
}
