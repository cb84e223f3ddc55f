"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { fetchJson } from "@/components/ui/fetch-json";
import type { SearchHit } from "@/lib/search/global-search";

const KIND_LABEL: Record<SearchHit["kind"], string> = { endpoint: "Endpoint", key: "Key", identity: "Identity", policy: "Policy", incident: "Incident" };

/** "/" or Ctrl/Cmd-K from anywhere but a text field. */
function isShortcut(e: KeyboardEvent): boolean {
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "k") return true;
  if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return false;
  const t = e.target as HTMLElement | null;
  return !(t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName)));
}

/** The console-wide search: endpoints, keys, identities, policies, incidents (a combobox). */
export function SearchBox() {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();
  const [text, setText] = useState("");
  const [debounced, setDebounced] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);

  useEffect(() => {
    const t = setTimeout(() => setDebounced(text.trim()), 150);
    return () => clearTimeout(t);
  }, [text]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isShortcut(e)) return;
      e.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  const q = useQuery({
    queryKey: ["search", debounced],
    queryFn: () => fetchJson<{ hits: SearchHit[] }>(`/api/search?q=${encodeURIComponent(debounced)}`),
    enabled: debounced.length >= 2,
    staleTime: 30_000,
  });
  const hits = debounced.length >= 2 ? (q.data?.hits ?? []) : [];
  const expanded = open && debounced.length >= 2;

  const go = (hit: SearchHit) => {
    setOpen(false);
    setText("");
    router.push(hit.href);
  };

  return (
    <div className="relative px-1">
      <label htmlFor={`${listId}-input`} className="sr-only">Search endpoints, keys, identities, policies, incidents</label>
      <input
        ref={input}
        id={`${listId}-input`}
        type="search"
        role="combobox"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={expanded && hits[active] ? `${listId}-${active}` : undefined}
        aria-keyshortcuts="/ Control+K Meta+K"
        placeholder="Search  ( / )"
        autoComplete="off"
        value={text}
        onChange={(e) => { setText(e.target.value); setOpen(true); setActive(0); }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") { e.preventDefault(); setActive((a) => Math.min(a + 1, Math.max(hits.length - 1, 0))); }
          else if (e.key === "ArrowUp") { e.preventDefault(); setActive((a) => Math.max(a - 1, 0)); }
          else if (e.key === "Enter" && hits[active]) { e.preventDefault(); go(hits[active]); }
          else if (e.key === "Escape") { e.stopPropagation(); setOpen(false); }
        }}
        className="w-full rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm placeholder:text-slate-500 focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30 dark:border-slate-700 dark:bg-slate-950 dark:placeholder:text-slate-400"
      />
      {expanded && (
        <ul id={listId} role="listbox" aria-label="Search results"
          className="absolute inset-x-1 top-full z-40 mt-1 max-h-96 overflow-y-auto rounded-lg border border-slate-200 bg-white py-1 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900">
          {q.isPending || debounced !== text.trim() ? (
            <li role="presentation" className="px-3 py-2 text-slate-600 dark:text-slate-300">Searching…</li>
          ) : q.isError ? (
            <li role="presentation" className="px-3 py-2 text-red-700 dark:text-red-300">{q.error.message}</li>
          ) : hits.length === 0 ? (
            <li role="presentation" className="px-3 py-2 text-slate-600 dark:text-slate-300">Nothing matches “{debounced}”.</li>
          ) : (
            hits.map((h, i) => (
              <li key={`${h.kind}-${h.href}`} id={`${listId}-${i}`} role="option" aria-selected={i === active}
                onMouseDown={(e) => { e.preventDefault(); go(h); }} onMouseEnter={() => setActive(i)}
                className={`cursor-pointer px-3 py-1.5 ${i === active ? "bg-brand-50 dark:bg-slate-800" : ""}`}>
                <span className="block truncate font-medium">{h.label}</span>
                <span className="block truncate text-xs text-slate-600 dark:text-slate-300">{KIND_LABEL[h.kind]}{h.detail ? ` · ${h.detail}` : ""}</span>
              </li>
            ))
          )}
        </ul>
      )}
    </div>
  );
}
