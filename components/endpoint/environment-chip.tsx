// The investigation's environment (?env=, carried from a list filtered by environment): a chip whose
// link returns to that list, or, when the endpoint is filed elsewhere, an alert instead of a silent answer.
import Link from "next/link";
import { FilterChip } from "./filter-chip";

export function EnvironmentChip({ environment, removeHref }: { environment: string; removeHref: string }) {
  return (
    <FilterChip label={`Environment: ${environment}`} removeHref={removeHref} testId="environment-filter" tone="bg-slate-100 dark:bg-slate-800" className="mb-4">
      <Link href={`/endpoints?${new URLSearchParams({ env: environment })}`} className="text-xs underline">Other endpoints in {environment}</Link>
    </FilterChip>
  );
}

/** The page for an ?env= the endpoint is not filed under. */
export function EnvironmentMismatch({ message, href }: { message: string; href: string }) {
  return (
    <p role="alert" className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
      {message}.{" "}
      <Link href={href} className="underline">Investigate it without the environment filter</Link>
    </p>
  );
}
