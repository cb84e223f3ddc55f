import Link from "next/link";
import { Card } from "@/components/ui/card";

/** For the /settings page: links to the mapping screens (the lead places it). */
export function MappingsCard() {
  const link = "block rounded-lg px-3 py-2 hover:bg-slate-50 focus-visible:bg-slate-50 dark:hover:bg-slate-800 dark:focus-visible:bg-slate-800";
  return (
    <Card title="Trace mappings">
      <nav aria-label="Trace mappings" className="-mx-3 text-sm">
        <Link href="/settings/mappings/endpoints" className={link}>
          <span className="font-medium">Endpoint mapping</span>
          <span className="block text-xs text-slate-500 dark:text-slate-400">Which trace operation each Tyk endpoint is; fix one by hand.</span>
        </Link>
        <Link href="/settings/endpoints" className={link}>
          <span className="font-medium">Derived endpoint templates</span>
          <span className="block text-xs text-slate-500 dark:text-slate-400">Endpoints for APIs that declare no paths, from observed requests and http.route; accept, rename or reject.</span>
        </Link>
        <Link href="/settings/mappings/identity" className={link}>
          <span className="font-medium">Identity mapping</span>
          <span className="block text-xs text-slate-500 dark:text-slate-400">Which span attributes name the caller, with a live preview.</span>
        </Link>
      </nav>
    </Card>
  );
}
