// The investigation's user-type filter (?userType=, set by an anomaly's "Investigate"): shown as a
// chip whose × link is the same page without it.
import Link from "next/link";
import { FilterChip } from "./filter-chip";

export function UserTypeChip({ label, removeHref }: { label: string; removeHref: string }) {
  return (
    <FilterChip label={`Only: ${label}`} removeHref={removeHref} testId="user-type-filter" tone="bg-brand-50 text-brand-700 dark:bg-blue-950 dark:text-blue-200">
      <span className="text-xs">The series, the spike and the suspects count this user type&apos;s callers only.</span>
    </FilterChip>
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
