import { apiRoute } from "@/lib/api/handler";
import { permissionsOf } from "@/lib/auth/permissions";

export const GET = apiRoute({ permission: "console:read" }, async ({ actor }) => ({
  user: { id: actor.id, email: actor.email, name: actor.name, role: actor.role },
  permissions: permissionsOf(actor.role),
}));
