import { whoOfRoute } from "@/lib/access/who";
import { apiRoute } from "@/lib/api/handler";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db";
import { killSwitchBody, killSwitchOf, setKillSwitch } from "@/lib/limits/auto/settings";

// GET /api/limits/auto — automatic limit mode's global kill switch.
export const GET = apiRoute({ permission: "investigations:read" }, async () => killSwitchOf(db));

// PUT {"killSwitch": true} — while on, nothing automatic writes to Tyk; admin only, audited.
export const PUT = apiRoute({ permission: "policies:write", body: killSwitchBody }, async (ctx) => {
  const who = whoOfRoute(ctx);
  await setKillSwitch(db, ctx.body.killSwitch, who.email);
  await recordAudit(db, { ...who.audit, action: "limits.auto.kill-switch", target: { type: "limits", id: "auto" }, details: { killSwitch: ctx.body.killSwitch } });
  return killSwitchOf(db);
});
