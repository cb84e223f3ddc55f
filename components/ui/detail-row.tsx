/** One label–value row of a `<dl>` fact list (key, policy and request pages). */
export function DetailRow({ label, children, mono = false }: { label: string; children: React.ReactNode; mono?: boolean }) {
  return (
    <div className="flex justify-between gap-4 border-b border-slate-100 py-1.5 text-sm last:border-0 dark:border-slate-800">
      <dt className="text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className={`text-right text-xs ${mono ? "font-mono" : ""}`}>{children}</dd>
    </div>
  );
}
