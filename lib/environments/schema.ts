/** Request schemas for environment names, without server imports: shared by route and page schemas. */
import { z } from "zod";

/** A spelling, as written on a tag or span attribute. */
export const environmentName = z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9 ._:-]+$/, "letters, digits, spaces and . _ : - only");
export const environmentFilter = z.object({ env: environmentName.optional() });
