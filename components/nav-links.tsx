"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { can, type Permission } from "@/lib/auth/permissions";
import type { Role } from "@/lib/auth/roles";

// Each item names the permission its page needs: a role sees only the pages it can open.
const ITEMS: { href: string; permission: Permission; label: string; icon: string }[] = [
  { href: "/endpoints", permission: "console:read", label: "Endpoints", icon: "M3 12h4l3-8 4 16 3-8h4" },
  { href: "/anomalies", permission: "console:read", label: "Anomalies", icon: "M3 17l5-5 4 4 8-9M14 7h6v6" },
  { href: "/incidents", permission: "incidents:read", label: "Incidents", icon: "M12 9v4m0 4h.01M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0Z" },
  { href: "/policies", permission: "console:read", label: "Policies", icon: "M12 3l8 4v5c0 5-3.5 8.5-8 9-4.5-.5-8-4-8-9V7l8-4Z" },
  { href: "/keys", permission: "console:read", label: "Keys", icon: "M15 7a4 4 0 1 1-3.9 5H3v3h3v3h3v-3h2.1A4 4 0 0 1 15 7Z" },
  { href: "/hygiene", permission: "console:read", label: "Hygiene", icon: "M12 3l8 4v5c0 5-3.5 8.5-8 9-4.5-.5-8-4-8-9V7l8-4Zm-3 9 2 2 4-4" },
  { href: "/access-requests", permission: "access:request", label: "Access", icon: "M12 11V7a4 4 0 0 1 8 0M5 11h14v10H5z" },
  { href: "/audit", permission: "audit:read", label: "Audit", icon: "M9 5h10M9 12h10M9 19h10M4 5h.01M4 12h.01M4 19h.01" },
  { href: "/settings", permission: "settings:read", label: "Settings", icon: "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6Zm7.4-3a7.4 7.4 0 0 0-.1-1.2l2-1.6-2-3.4-2.4 1a7 7 0 0 0-2-1.2L14.5 3h-5l-.4 2.6a7 7 0 0 0-2 1.2l-2.4-1-2 3.4 2 1.6a7.4 7.4 0 0 0 0 2.4l-2 1.6 2 3.4 2.4-1a7 7 0 0 0 2 1.2l.4 2.6h5l.4-2.6a7 7 0 0 0 2-1.2l2.4 1 2-3.4-2-1.6c.1-.4.1-.8.1-1.2Z" },
];

// Second-level pages: reachable from the main ones too, listed here so nothing is a dead end.
const MORE: { href: string; permission: Permission; label: string }[] = [
  { href: "/apis", permission: "console:read", label: "APIs" },
  { href: "/identities", permission: "console:read", label: "Identities" },
  { href: "/calls", permission: "calls:read", label: "Call trail" },
  { href: "/limit-changes", permission: "console:read", label: "Limit changes" },
  { href: "/coverage", permission: "console:read", label: "Coverage" },
  { href: "/environments", permission: "console:read", label: "Environments" },
];

export function NavLinks({ role, onNavigate }: { role: Role; onNavigate?: () => void }) {
  const pathname = usePathname();
  const items = ITEMS.filter((i) => can(role, i.permission));
  const more = MORE.filter((i) => can(role, i.permission));
  return (
    <nav aria-label="Main" className="flex flex-col gap-0.5">
      {items.map((item) => {
        const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            onClick={onNavigate}
            className={`flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium transition-colors ${
              active
                ? "bg-brand-50 text-brand-700 dark:bg-slate-800 dark:text-white"
                : "text-slate-600 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-800/60 dark:hover:text-white"
            }`}
          >
            <svg viewBox="0 0 24 24" className="h-4 w-4 shrink-0" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
              <path d={item.icon} />
            </svg>
            {item.label}
          </Link>
        );
      })}
      <p className="mt-5 px-3 text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">Gateway</p>
      {more.map((item) => {
        const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            onClick={onNavigate}
            className={`rounded-lg px-3 py-1.5 text-sm transition-colors ${
              active
                ? "bg-brand-50 font-medium text-brand-700 dark:bg-slate-800 dark:text-white"
                : "text-slate-500 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-800/60 dark:hover:text-white"
            }`}
          >
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
