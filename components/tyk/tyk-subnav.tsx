import Link from "next/link";

const ITEMS = [
  { href: "/apis", label: "APIs" },
  { href: "/policies", label: "Policies" },
  { href: "/keys", label: "Keys" },
  { href: "/identities", label: "Identities" },
] as const;

/** Tabs across the Tyk pages (the main navigation links Policies and Keys; APIs and Identities live here). */
export function TykSubnav({ current }: { current: (typeof ITEMS)[number]["href"] }) {
  return (
    <nav aria-label="Tyk" className="mb-5 flex gap-1 border-b border-slate-200 dark:border-slate-800">
      {ITEMS.map((item) => {
        const active = item.href === current;
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-brand-500 ${
              active
                ? "border-brand-600 text-brand-700 dark:border-blue-400 dark:text-white"
                : "border-transparent text-slate-500 hover:text-slate-900 dark:text-slate-400 dark:hover:text-white"
            }`}
          >
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
