import Link from "next/link";
import { formatCount } from "@/lib/format";

/**
 * Server component: warns that requests landed without an endpoint (their API declares no path
 * that matches them), so nothing about them can be investigated until a template is accepted.
 */
export function UnmatchedBanner({ unmatched, canReview }: { unmatched: { pending: number; requests: number }; canReview: boolean }) {
  if (!unmatched.pending) return null;
  const templates = `${formatCount(unmatched.pending)} derived template${unmatched.pending === 1 ? "" : "s"}`;
  return (
    <div role="status" data-testid="unmatched-banner" className="mb-5 rounded-xl border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
      <strong className="font-semibold">{formatCount(unmatched.requests)} request{unmatched.requests === 1 ? "" : "s"} matched no endpoint</strong> — their APIs declare no
      path that fits them, so they are stored without one and cannot be investigated.{" "}
      {canReview ? (
        <Link href="/settings/endpoints" className="font-medium underline">Review {templates}</Link>
      ) : (
        <>An admin can review the {templates} Touchline derived from their paths.</>
      )}
    </div>
  );
}
