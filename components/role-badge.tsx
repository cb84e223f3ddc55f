import type { Role } from "@/lib/auth/roles";

const STYLE: Record<Role, string> = {
  admin: "bg-violet-100 text-violet-800 dark:bg-violet-950 dark:text-violet-200",
  responder: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-200",
  viewer: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200",
};

export function RoleBadge({ role }: { role: Role }) {
  return (
    <span data-testid="user-role" className={`rounded-full px-2 py-0.5 text-xs font-medium capitalize ${STYLE[role]}`}>
      {role}
    </span>
  );
}
