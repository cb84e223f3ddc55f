// Positive controls: the two incidents the investigation already answered on independent data — a
// caller flooding the upstream, and a new key sending expensive calls.
import type { Scenario } from "../scenario";
import { LONG_AGO, T0, at, ordersStage, target } from "./common";

export function flood(): Scenario {
  const { estate, orgId, orders, ep, steady } = ordersStage("flood", { n: 5, rate: 30 });
  const partner = estate.policy(LONG_AGO, { name: "partner-bronze", rate: 50, per: 1, apis: [orders] });
  const loader = estate.key(LONG_AGO, { alias: "acme-loader", policies: [partner] });
  return {
    name: "flood", seed: 101, t0: T0, minutes: [-150, 40], estate, orgId, installAt: at(-140), auditLog: true,
    story: "acme-loader goes from 10 to 900 fast requests a minute; the upstream saturates and every caller slows with the load",
    traffic: {
      callers: [...steady.callers, { name: "acme-loader", key: loader, endpoint: ep, rate: (m) => (m < 0 ? 10 : 900), median: 30 }],
      // Past ~300 served requests a minute the upstream queues: latency grows with the load.
      slowdown: (_m, load) => 1 + Math.max(0, load - 300) / 120,
    },
    endpoint: target(ep),
    expected: { culprit: { kind: "key", id: loader.hash }, companions: [{ kind: "identity", label: "acme-loader" }] },
  };
}

export function newKeyExpensive(): Scenario {
  const { estate, orgId, admin, orders, ep, steady } = ordersStage("new-key-expensive", { n: 5, rate: 30 });
  const partner = estate.policy(LONG_AGO, { name: "partner-silver", rate: 20, per: 1, apis: [orders] });
  const exporter = estate.key(at(-6), { alias: "initech-export", policies: [partner] }, { user: admin });
  return {
    name: "new-key-expensive", seed: 102, t0: T0, minutes: [-150, 40], estate, orgId, installAt: at(-140), auditLog: true,
    story: "ada creates initech-export's key at 09:06; from 09:12 it sends 40 report queries a minute, each 1.8 s",
    traffic: {
      callers: [...steady.callers, { name: "initech-export", key: (m) => (m >= 0 ? exporter : null), endpoint: ep, rate: () => 40, median: 1800 }],
    },
    endpoint: target(ep),
    expected: {
      culprit: { kind: "access_change", changeKind: "key", action: "create", targetId: exporter.hash },
      companions: [{ kind: "key", id: exporter.hash }],
    },
  };
}
