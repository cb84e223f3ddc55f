// Incidents nobody on the gateway caused: the answer must name no suspect and say so.
import type { Scenario, ScenarioAnswer } from "../scenario";
import { step } from "../traffic";
import { LONG_AGO, T0, at, ordersStage, slowFrom, target } from "./common";

const sayAllSlowed = (a: ScenarioAnswer) => (/all callers slowed/i.test(a.verdict.summary) ? [] : [`verdict does not say all callers slowed: "${a.verdict.summary}"`]);

export function upstreamSlowdown(): Scenario {
  const { estate, orgId, ep, steady } = ordersStage("upstream-slowdown", { n: 6, rate: 30 });
  return {
    name: "upstream-slowdown", seed: 301, t0: T0, minutes: [-150, 40], estate, orgId, installAt: at(-140), auditLog: true,
    story: "the upstream's database slows at 09:12: every caller ×3.5, no change, no deploy, the same load",
    traffic: { callers: steady.callers, slowdown: slowFrom(0, 3.5) },
    endpoint: target(ep),
    expected: { culprit: null },
    checks: sayAllSlowed,
  };
}

export function rotationBeforeSlowdown(): Scenario {
  const { estate, orgId, admin, orders, ep, steady } = ordersStage("rotation-before-slowdown", { n: 5, rate: 30 });
  const gold = estate.policy(LONG_AGO, { name: "partner-gold", rate: 100, per: 1, apis: [orders] });
  const oldKey = estate.key(LONG_AGO, { alias: "wayne-partner", policies: [gold] });
  // Rotation with a grace period: the new key (same alias, same policy) at 09:02, callers move over
  // during 09:03, the old key deleted at 09:05.
  const newKey = estate.key(at(-10), { alias: "wayne-partner", policies: [gold] }, { user: admin });
  estate.deleteKey(at(-7), oldKey, { user: admin });
  return {
    name: "rotation-before-slowdown", seed: 302, t0: T0, minutes: [-150, 40], estate, orgId, installAt: at(-140), auditLog: true,
    story: "wayne-partner's key is rotated at 09:02–09:05 (same alias and policy, same 120 requests a minute); at 09:12 the upstream slows every caller ×3",
    traffic: {
      callers: [
        ...steady.callers,
        { name: "wayne-partner (old key)", key: (m) => (m < -9 ? oldKey : null), endpoint: ep, rate: () => 120, median: 80 },
        { name: "wayne-partner (new key)", key: (m) => (m >= -9 ? newKey : null), endpoint: ep, rate: () => 120, median: 80 },
      ],
      slowdown: slowFrom(0, 3),
    },
    endpoint: target(ep),
    expected: { culprit: null },
    checks: (a) => {
      const out = sayAllSlowed(a);
      if (a.timeline.some((e) => e.type === "traffic_shift" && e.id === newKey.hash && e.new === true)) out.push("the rotated key's traffic is shown as new");
      if (!a.timeline.some((e) => e.type === "key_rotation" && e.to === newKey.hash)) out.push("the timeline does not show the rotation");
      return out;
    },
  };
}

export function retryStormRejected(): Scenario {
  const { estate, orgId, admin, orders, ep, steady } = ordersStage("retry-storm-rejected", { n: 5, rate: 30 });
  const free = estate.policy(LONG_AGO, { name: "free-tier", rate: 20, per: 60, apis: [orders] });
  const piper = estate.key(LONG_AGO, { alias: "pied-piper", policies: [free] });
  estate.updatePolicy(at(-6), free, { tags: ["tier:free", "reviewed"] }, { user: admin });
  return {
    name: "retry-storm-rejected", seed: 303, t0: T0, minutes: [-150, 40], estate, orgId, installAt: at(-140), auditLog: true,
    story: "pied-piper's client retries in a loop from 09:10: 600 attempts a minute, all but its 20 answered 429 by Tyk; the upstream slows every caller ×3 at 09:12 for its own reasons",
    traffic: {
      callers: [...steady.callers, { name: "pied-piper", key: piper, endpoint: ep, rate: step(-2, 20, 600), rejected: step(-2, 0, 580 / 600), median: 80 }],
      slowdown: slowFrom(0, 3),
    },
    endpoint: target(ep),
    expected: { culprit: null },
  };
}

export function organicGrowth(): Scenario {
  const { estate, orgId, ep, steady } = ordersStage("organic-growth", { n: 6, rate: 50 });
  return {
    name: "organic-growth", seed: 304, t0: T0, minutes: [-150, 40], estate, orgId, installAt: at(-140), auditLog: true,
    story: "a sale starts at 09:12: every caller sends 1.6× its usual volume and the upstream slows with the load; no single caller stands out",
    traffic: {
      callers: steady.callers.map((c) => ({ ...c, rate: step(0, 50, 80) })),
      slowdown: (_m, load) => 1 + Math.max(0, load - 320) / 80,
    },
    endpoint: target(ep),
    expected: { culprit: null },
  };
}

export function newFastKey(): Scenario {
  const { estate, orgId, admin, std, ep, steady } = ordersStage("new-fast-key", { n: 6, rate: 30 });
  const probe = estate.key(at(-4), { alias: "hooli-probe", policies: [std] }, { user: admin });
  return {
    name: "new-fast-key", seed: 305, t0: T0, minutes: [-150, 40], estate, orgId, installAt: at(-140), auditLog: true,
    story: "a new key starts light, fast health probes at 09:09; at 09:12 the upstream slows every caller ×3 for its own reasons",
    traffic: {
      callers: [...steady.callers, { name: "hooli-probe", key: (m) => (m >= -3 ? probe : null), endpoint: ep, rate: () => 20, median: 40 }],
      slowdown: slowFrom(0, 3),
    },
    endpoint: target(ep),
    expected: { culprit: null },
  };
}
