import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { accessConfig } from "@/lib/access/config";
import { requestOptions } from "@/lib/access/requests/options";
import { personOf } from "@/lib/access/requests/people";
import { listRequests } from "@/lib/access/requests/view";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { AccessRequestsClient } from "./access-requests-client";

export const metadata: Metadata = { title: "Access requests" };
export const dynamic = "force-dynamic";

export default async function AccessRequestsPage() {
  const user = await requireUser("/access-requests");
  const person = await personOf(db, user);
  const [mine, toApprove, options] = await Promise.all([
    listRequests(db, person, "mine"), listRequests(db, person, "to_approve"), requestOptions(db, accessConfig()),
  ]);
  return (
    <>
      <PageHeader
        title="Temporary access"
        description="Ask for a temporary Tyk key — an offered policy, or chosen APIs — for a reason and a time. Approvers decide here (rules can approve at once); the key is made when you collect it, shown to you once, tied to your identity in every trace and investigation, and deleted when its time is up."
        actions={can(user.role, "audit:read") ? (
          <>
            <a className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800" href="/api/access-requests/export?format=csv" download>Export CSV</a>
            <a className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800" href="/api/access-requests/export?format=json" download>Export JSON</a>
          </>
        ) : undefined}
      />
      <AccessRequestsClient
        initialMine={JSON.parse(JSON.stringify(mine))}
        initialToApprove={JSON.parse(JSON.stringify(toApprove))}
        options={options}
        approvesAll={person.approvesAll}
      />
    </>
  );
}
