// A filter the endpoint page was opened with, as a chip whose × link is the same page without it.
import Link from "next/link";
import type { ReactNode } from "react";

interface FilterChipProps {
  label: string;
  removeHref: string;
  /** The pill's colours. */
  tone: string;
  testId: string;
  className?: string;
  children?: ReactNode;
}

export function FilterChip({ label, removeHref, tone, testId, className = "", children }: FilterChipProps) {
  return (
    <p className={`flex flex-wrap items-center gap-2 text-sm text-slate-600 dark:text-slate-300 ${className}`} data-testid={testId}>
      <span className={`inline-flex items-center gap-1 rounded-full py-0.5 pl-3 pr-1 font-medium ${tone}`}>
        {label}
        <Link
          href={removeHref}
          aria-label={`Remove the filter: ${label}`}
          className="ml-1 inline-flex h-5 w-5 items-center justify-center rounded-full hover:bg-black/10 focus:outline-none focus:ring-2 focus:ring-brand-600/40 dark:hover:bg-white/10"
        >
          <span aria-hidden="true">×</span>
        </Link>
      </span>
      {children}
    </p>
  );
}
