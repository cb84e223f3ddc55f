// The investigation's environment (?env=, carried from a list filtered by environment): a chip whose
// link returns to that list, or, when the endpoint is filed elsewhere, an alert instead of a silent answer.
import Link from "next/link";

export function EnvironmentChip({ environment, removeHref }: { environment: string; removeHref: string }) {
  return (
    <p className="mb-4 flex flex-wrap items-center gap-2 text-sm text-slate-600 dark:text-slate-300" data-testid="environment-filter">
      <span className="inline-flex items-center gap-1 rounded-full bg-slate-100 py-0.5 pl-3 pr-1 font-medium dark:bg-slate-800">
        Environment: {environment}
        <Link
          href={removeHref}
          aria-label={`Remove the filter: environment ${environment}`}
          className="ml-1 inline-flex h-5 w-5 items-center justify-center rounded-full hover:bg-slate-200 focus:outline-none focus:ring-2 focus:ring-brand-600/40 dark:hover:bg-slate-700"
        >
          <span aria-hidden="true">×</span>
        </Link>
      </span>
      <Link href={`/endpoints?${new URLSearchParams({ env: environment })}`} className="text-xs underline">Other endpoints in {environment}</Link>
    </p>
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
