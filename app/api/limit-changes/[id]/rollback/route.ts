import { z } from "zod";
import { tykClientOrFail } from "@/lib/access/tyk-client";
import { whoOfRoute } from "@/lib/access/who";
import { apiRoute } from "@/lib/api/handler";
import { db } from "@/lib/db";
import { rollbackLimitChange } from "@/lib/limits/apply";

const params = z.object({ id: z.string().min(1).max(200) });
const body = z.strictObject({ dryRun: z.boolean().optional() });

// Restores the values an applied limit change replaced (a dry run first, if asked); admin only.
export const POST = apiRoute({ permission: "policies:write", params, body }, async (ctx) =>
  rollbackLimitChange(db, await tykClientOrFail(db), ctx.params.id, whoOfRoute(ctx), ctx.body.dryRun ?? false),
);
