import { apiRoute } from "@/lib/api/handler";
import { actorPermissions } from "@/lib/auth/session";

export const GET = apiRoute({ permission: "console:read" }, async ({ actor }) => ({
  user: { id: actor.id, email: actor.email, name: actor.name, role: actor.role },
  permissions: actorPermissions(actor),
  ...(actor.type === "token" ? { token: { id: actor.id, name: actor.name, prefix: actor.prefix, scopes: actor.scopes } } : {}),
}));
