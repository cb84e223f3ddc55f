// Benchmark-sized estates: many extra keys, policies and APIs that carry no traffic.
import { makeKey, type Baseline } from "./catalog";
import { hex, rngFor } from "./prng";
import type { SimApi, SimPolicy, WorldOptions, WorldState } from "./types";

export function addScale(seed: number, base: Baseline, scale: NonNullable<WorldOptions["scale"]>): WorldState {
  const s = base.state;
  const created = s.apis[0].createdAt;
  const apis: SimApi[] = [];
  for (let i = 0; i < (scale.apis ?? 0); i++) {
    apis.push({ ...s.apis[0], id: hex(rngFor(seed, "scale-api", i), 32), dbId: hex(rngFor(seed, "scale-api-db", i), 24),
      name: `Bulk API ${i}`, slug: `bulk-${i}`, listenPath: `/bulk-${i}/`, endpoints: [], tags: ["bulk"] });
  }
  const policies: SimPolicy[] = [];
  for (let i = 0; i < (scale.policies ?? 0); i++) {
    policies.push({ ...s.policies[0], id: hex(rngFor(seed, "scale-policy", i), 24), name: `bulk-policy-${i}` });
  }
  const free = base.policyByName.get("free-tier")!.id;
  const keys = [];
  for (let i = 0; i < (scale.keys ?? 0); i++) {
    keys.push(makeKey(seed, base.orgId, { alias: `bulk-key-${i}`, identityId: "p-li", policies: [] }, 0, created, [free], ""));
  }
  return { ...s, apis: [...s.apis, ...apis], policies: [...s.policies, ...policies], keys: [...s.keys, ...keys] };
}
