import { z } from "zod";
import { TOKEN_SCOPES, type TokenScope } from "@/lib/auth/permissions";

export const TOKEN_SCOPE_NAMES = Object.keys(TOKEN_SCOPES) as TokenScope[];

/** Expiry choices offered by the Settings form and accepted by the API. */
export const EXPIRY_CHOICES = ["7d", "30d", "90d", "1y", "never"] as const;

/** Body of POST /api/tokens; the Settings form builds the same shape. */
export const createTokenBody = z.object({
  name: z.string().trim().min(1, "give the token a name").max(80),
  scopes: z.array(z.enum(TOKEN_SCOPE_NAMES as [TokenScope, ...TokenScope[]])).min(1, "pick at least one scope").max(TOKEN_SCOPE_NAMES.length),
  expiresIn: z.enum(EXPIRY_CHOICES).default("30d"),
});

export type CreateTokenBody = z.infer<typeof createTokenBody>;
