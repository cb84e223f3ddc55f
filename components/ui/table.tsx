// Plain, accessible table primitives with the console's look.
export function Table({ children, label }: { children: React.ReactNode; label?: string }) {
  return (
    // Focusable, so a keyboard can scroll a table wider than the page (a phone, a narrow column).
    <div role="region" aria-label={label} tabIndex={0} className="overflow-x-auto rounded-2xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table aria-label={label} className="w-full text-left text-sm">
        {children}
      </table>
    </div>
  );
}

export function Th({ children, className = "" }: { children?: React.ReactNode; className?: string }) {
  return <th className={`border-b border-slate-200 px-4 py-2 text-xs font-medium uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400 ${className}`}>{children}</th>;
}

export function Td({ children, className = "" }: { children?: React.ReactNode; className?: string }) {
  return <td className={`border-b border-slate-100 px-4 py-2 align-top dark:border-slate-800 [tr:last-child_&]:border-0 ${className}`}>{children}</td>;
}
