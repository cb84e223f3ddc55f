// The investigation's user-type filter (?userType=, set by an anomaly's "Investigate"): shown as a
// chip whose × link is the same page without it.
import Link from "next/link";

export function UserTypeChip({ label, removeHref }: { label: string; removeHref: string }) {
  return (
    <p className="flex flex-wrap items-center gap-2 text-sm text-slate-600 dark:text-slate-300" data-testid="user-type-filter">
      <span className="inline-flex items-center gap-1 rounded-full bg-brand-50 py-0.5 pl-3 pr-1 font-medium text-brand-700 dark:bg-blue-950 dark:text-blue-200">
        Only: {label}
        <Link
          href={removeHref}
          aria-label={`Remove the filter: only ${label}`}
          className="ml-1 inline-flex h-5 w-5 items-center justify-center rounded-full hover:bg-brand-100 focus:outline-none focus:ring-2 focus:ring-brand-600/40 dark:hover:bg-blue-900"
        >
          <span aria-hidden="true">×</span>
        </Link>
      </span>
      <span className="text-xs">The series, the spike and the suspects count this user type&apos;s callers only.</span>
    </p>
  );
}

/** The page for a ?userType= naming no policy, OAuth client or IdP group we know. */
export function UnknownUserType({ message, href }: { message: string; href: string }) {
  return (
    <p role="alert" className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
      {message}.{" "}
      <Link href={href} className="underline">Investigate every caller instead</Link>
    </p>
  );
}
