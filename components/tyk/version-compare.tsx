import { Button } from "@/components/ui/button";

/**
 * Picks any two versions to compare. A plain GET form: the page computes the diff on the server,
 * so it works without JavaScript and the comparison has a shareable URL.
 */
export function VersionCompare({ versions, from, to, action }: { versions: number[]; from: number; to: number; action: string }) {
  const select = "rounded-lg border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900";
  return (
    <form method="get" action={`${action}#compare`} className="flex flex-wrap items-end gap-3">
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-300">
        From version
        <select name="from" defaultValue={String(from)} className={select}>
          {versions.map((v) => <option key={v} value={v}>v{v}</option>)}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-300">
        To version
        <select name="to" defaultValue={String(to)} className={select}>
          {versions.map((v) => <option key={v} value={v}>v{v}</option>)}
        </select>
      </label>
      {/* A submit button: Button defaults to type="button". */}
      <Button type="submit" variant="secondary">Compare</Button>
    </form>
  );
}
