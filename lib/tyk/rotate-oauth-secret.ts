import type { TykClient } from "./client";
import { rotatedOAuthAppSchema, type TykOAuthApp } from "./schema";

/**
 * Regenerates an OAuth client's secret: `PUT /api/apis/oauth/{apiId}/{clientId}/rotate`, the
 * Dashboard's counterpart of the Gateway's documented `PUT /tyk/oauth/clients/{apiID}/{keyName}/rotate`
 * (the Dashboard spec, 5.13, does not list it; a Dashboard without it answers 404). Tyk keeps one
 * secret per client, so the old one stops working at once. Not retried: each call makes a new secret.
 */
export async function rotateOAuthSecret(client: TykClient, apiId: string, clientId: string, opts: { signal?: AbortSignal } = {}): Promise<{ app: TykOAuthApp; secret: string }> {
  const res = await client.request({
    method: "PUT",
    path: `/api/apis/oauth/${encodeURIComponent(apiId)}/${encodeURIComponent(clientId)}/rotate`,
    schema: rotatedOAuthAppSchema,
    signal: opts.signal,
    retries: 0,
  });
  const { secret, ...app } = res;
  return { app, secret };
}
