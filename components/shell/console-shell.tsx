"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Logo } from "@/components/logo";
import { NavLinks } from "@/components/nav-links";
import type { Role } from "@/lib/auth/roles";

/**
 * The console's frame: a skip link, the sidebar (a menu behind a button below 768 px, where it
 * would otherwise take half a phone's width), and the page. Escape or following a link closes the
 * menu; focus returns to the button that opened it.
 */
export function ConsoleShell({ role, search, account, children }: { role: Role; search: React.ReactNode; account: React.ReactNode; children: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const pathname = usePathname();
  // Close on navigation: the render-time compare (not an effect) avoids a flash of the open menu.
  const [shownPath, setShownPath] = useState(pathname);
  if (shownPath !== pathname) {
    setShownPath(pathname);
    setOpen(false);
  }

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);

  return (
    <div className="min-h-full md:flex">
      <a href="#main" className="sr-only z-50 rounded-lg bg-white px-3 py-2 text-sm font-medium text-brand-700 shadow focus:not-sr-only focus:fixed focus:left-3 focus:top-3 focus:outline-none focus:ring-2 focus:ring-brand-600">
        Skip to content
      </a>
      <header className="sticky top-0 z-30 flex items-center justify-between gap-3 border-b border-slate-200 bg-white px-4 py-3 md:hidden dark:border-slate-800 dark:bg-slate-900">
        <Link href="/endpoints"><Logo /></Link>
        <button
          ref={button}
          type="button"
          aria-expanded={open}
          aria-controls="console-sidebar"
          onClick={() => setOpen((o) => !o)}
          className="flex items-center gap-2 rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          <svg viewBox="0 0 24 24" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden="true">
            <path d={open ? "M6 6l12 12M18 6 6 18" : "M4 6h16M4 12h16M4 18h16"} />
          </svg>
          Menu
        </button>
      </header>
      <aside
        id="console-sidebar"
        aria-label="Console"
        className={`${open ? "flex" : "hidden"} fixed inset-x-0 bottom-0 top-[57px] z-20 flex-col gap-6 overflow-y-auto border-r border-slate-200 bg-white px-3 py-5 md:sticky md:top-0 md:flex md:h-screen md:w-60 md:shrink-0 dark:border-slate-800 dark:bg-slate-900`}
      >
        <Link href="/endpoints" className="hidden px-2 md:block">
          <Logo />
        </Link>
        {search}
        <NavLinks role={role} onNavigate={() => setOpen(false)} />
        <div className="mt-auto">{account}</div>
      </aside>
      <main id="main" tabIndex={-1} className="min-w-0 flex-1 px-4 py-5 focus:outline-none md:px-8 md:py-7">{children}</main>
    </div>
  );
}
