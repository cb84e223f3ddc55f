/** A labelled text input with the console's look (filters and small forms). */
export function Field({ label, hint, className = "", ...input }: React.InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string }) {
  return (
    <label className={`flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-300 ${className}`}>
      {label}
      <input
        {...input}
        className="rounded-lg border border-slate-300 bg-white px-2.5 py-1.5 text-sm font-normal text-slate-900 placeholder:text-slate-400 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100"
      />
      {hint && <span className="font-normal text-slate-500">{hint}</span>}
    </label>
  );
}
