"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";
import type { Role } from "@/lib/auth/roles";
import { RoleBadge } from "./role-badge";

export function UserMenu({ name, email, role, signOutUrl }: { name: string; email: string | null; role: Role; signOutUrl: string }) {
  const [pending, setPending] = useState(false);
  return (
    <div className="rounded-xl border border-slate-200 p-3 dark:border-slate-800" data-testid="user-menu">
      <div className="flex items-center gap-3">
        <span aria-hidden="true" className="flex h-8 w-8 items-center justify-center rounded-full bg-brand-100 text-sm font-semibold text-brand-700 dark:bg-slate-700 dark:text-white">
          {name.slice(0, 1).toUpperCase()}
        </span>
        <div className="min-w-0">
          <p className="truncate text-sm font-medium" data-testid="user-name">{name}</p>
          {email && <p className="truncate text-xs text-slate-500 dark:text-slate-400">{email}</p>}
        </div>
      </div>
      <div className="mt-3 flex items-center justify-between">
        <RoleBadge role={role} />
        <button
          type="button"
          disabled={pending}
          onClick={async () => {
            setPending(true);
            await signOut({ redirect: false });
            window.location.href = signOutUrl;
          }}
          className="text-xs font-medium text-slate-600 hover:text-slate-900 disabled:opacity-60 dark:text-slate-400 dark:hover:text-white"
        >
          {pending ? "Signing out…" : "Sign out"}
        </button>
      </div>
    </div>
  );
}
