"use client";

// The reader's choice of zone for every time on the page: UTC (the default, and what links and
// the server render) or the browser's own, remembered in localStorage. useSyncExternalStore
// renders UTC during hydration, then the stored choice, so server and client HTML agree.
import { useSyncExternalStore } from "react";
import { formatTime, UTC, zoneName } from "@/lib/time-format";

export type ZoneMode = "utc" | "local";

const KEY = "touchline.timeZone";
const EVENT = "touchline:timezone";

function read(): ZoneMode {
  try {
    return window.localStorage.getItem(KEY) === "local" ? "local" : "utc";
  } catch {
    return "utc";
  }
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener(EVENT, onChange);
  window.addEventListener("storage", onChange); // another tab changed it
  return () => {
    window.removeEventListener(EVENT, onChange);
    window.removeEventListener("storage", onChange);
  };
}

export function setZoneMode(mode: ZoneMode): void {
  try {
    window.localStorage.setItem(KEY, mode);
  } catch {
    // Private mode without storage: the choice lasts for this page only.
  }
  window.dispatchEvent(new Event(EVENT));
}

export interface TimeZoneChoice {
  mode: ZoneMode;
  /** IANA zone to format in. */
  timeZone: string;
  /** "UTC" or the browser zone's short name ("GMT+1"). */
  label: string;
}

const noop = () => () => {};
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || UTC;

export function useTimeZone(): TimeZoneChoice {
  const mode = useSyncExternalStore(subscribe, read, () => "utc" as const);
  const timeZone = mode === "local" ? browserZone() : UTC;
  return { mode, timeZone, label: mode === "local" ? zoneName(timeZone) : UTC };
}

/** A time in the console's one format, in the reader's chosen zone. */
export function Time({ at, className }: { at: Date | string | number | null | undefined; className?: string }) {
  const { timeZone } = useTimeZone();
  if (at === null || at === undefined) return <span className={className}>—</span>;
  const ms = at instanceof Date ? at.getTime() : typeof at === "number" ? at : Date.parse(at);
  if (!Number.isFinite(ms)) return <span className={className}>—</span>;
  return <time dateTime={new Date(ms).toISOString()} className={className}>{formatTime(ms, timeZone)}</time>;
}

/** UTC | browser zone switch; the choice is remembered and applies to every time shown. */
export function ZoneToggle() {
  const { mode } = useTimeZone();
  const local = useSyncExternalStore(noop, () => zoneName(browserZone()), () => "browser");
  const item = (m: ZoneMode, text: string) => (
    <button type="button" aria-pressed={mode === m} onClick={() => setZoneMode(m)}
      className={`px-2 py-1 ${mode === m ? "bg-slate-900 text-white dark:bg-white dark:text-slate-900" : "text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"}`}>
      {text}
    </button>
  );
  return (
    <div role="group" aria-label="Time zone" className="inline-flex overflow-hidden rounded-lg border border-slate-300 text-xs dark:border-slate-700">
      {item("utc", "UTC")}
      {item("local", `Local (${local})`)}
    </div>
  );
}
