"use client";

import { Button } from "@/components/ui/button";

export default function EndpointError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded-2xl border border-red-300 bg-red-50 px-6 py-8 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
      <h1 className="text-base font-semibold">The investigation could not be computed</h1>
      <p className="mt-1">Something went wrong while analysing this endpoint{error.digest ? ` (reference ${error.digest})` : ""}. Try again; if it persists, check the sync status in Settings.</p>
      <div className="mt-4"><Button onClick={reset}>Try again</Button></div>
    </div>
  );
}
