import type { TykClient } from "./client";
import { apiDefinitionWrapperSchema, type TykApiDefinitionWrapper } from "./schema";

/** One API by its api_id (or Dashboard id): `GET /api/apis/{apiId}`. */
export function getApi(client: TykClient, apiId: string, opts: { signal?: AbortSignal } = {}): Promise<TykApiDefinitionWrapper> {
  return client.request({ path: `/api/apis/${encodeURIComponent(apiId)}`, schema: apiDefinitionWrapperSchema, signal: opts.signal });
}
