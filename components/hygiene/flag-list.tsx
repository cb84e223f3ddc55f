import { Badge } from "@/components/ui/badge";
import { FLAG_LABELS, type Flag } from "@/lib/hygiene/flags";

const TONE: Record<string, "warn" | "bad" | "info"> = { expired: "bad", unused: "warn", over_broad: "warn", rotation_due: "warn", never_expires: "info", no_owner: "warn", no_keys: "info", reseal_pending: "warn" };

/** Each flag with its one-line reason, so the table explains itself. */
export function FlagList({ flags }: { flags: Flag[] }) {
  if (!flags.length) return <span className="text-xs text-emerald-700 dark:text-emerald-300">clean</span>;
  return (
    <ul className="flex max-w-md flex-col gap-1">
      {flags.map((f) => (
        <li key={f.id} className="text-xs" data-flag={f.id}>
          <Badge tone={TONE[f.id] ?? "warn"}>{FLAG_LABELS[f.id]}</Badge> <span className="text-slate-600 dark:text-slate-300">{f.text}</span>
        </li>
      ))}
    </ul>
  );
}
