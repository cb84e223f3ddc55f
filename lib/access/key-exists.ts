import type { TykClient } from "@/lib/tyk/client";
import { TykNotFoundError } from "@/lib/tyk/errors";
import { getKeyById } from "@/lib/tyk/get-key-by-id";

/** Whether the Dashboard still has the key (by hash: no raw key is sent). Other failures throw. */
export async function keyExists(client: TykClient, keyHash: string): Promise<boolean> {
  try {
    await getKeyById(client, keyHash, { hashed: true });
    return true;
  } catch (err) {
    if (err instanceof TykNotFoundError) return false;
    throw err;
  }
}
