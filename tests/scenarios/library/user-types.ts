// A user type as the cause, or not: people (keys whose alias is an email, so Touchline's identity
// rule makes them persons) call beside services. Seven hours of history before the incident give
// anomaly detection its baseline (lib/analysis/anomaly.ts MIN_HISTORY), so the type's anomaly is
// in the anomalies table when the investigation runs.
import type { Scenario } from "../scenario";
import type { CallerSpec } from "../traffic";
import { LONG_AGO, T0, at, ordersStage, target } from "./common";

const HISTORY: [number, number] = [-432, 40];

function peopleStage(name: string) {
  const stage = ordersStage(name, { n: 5, rate: 20 });
  const people = ["ana", "ben", "cho", "dev", "eli", "fay"].map((n) => stage.estate.key(LONG_AGO, { alias: `${n}@acme.test`, policies: [stage.std] }));
  return { ...stage, people };
}

export function typeSlowed(): Scenario {
  const { estate, orgId, ep, steady, people } = peopleStage("type-slowed");
  const callers: CallerSpec[] = people.map((k) => ({ name: k.alias, key: k, endpoint: ep, rate: () => 8, median: (m: number) => (m >= 0 ? 450 : 80) }));
  return {
    name: "type-slowed", seed: 401, t0: T0, minutes: HISTORY, estate, orgId, installAt: at(-440), auditLog: true,
    story: "from 09:12 every person's requests (six keys, 8 a minute each) are ×5.6 slower, the services' are not; no key stands out alone",
    traffic: { callers: [...steady.callers, ...callers] },
    endpoint: target(ep),
    expected: { culprit: { kind: "user_type", id: "kind:person" }, companions: [] },
    checks: (a) => (/Callers of type People got ×[\d.]+ slower/.test(a.verdict.summary) ? [] : [`summary does not name the type's slowdown: "${a.verdict.summary}"`]),
  };
}

export function typeLouder(): Scenario {
  const { estate, orgId, ep, steady, people } = peopleStage("type-louder");
  const callers: CallerSpec[] = people.map((k) => ({ name: k.alias, key: k, endpoint: ep, rate: (m: number) => (m >= 0 ? 24 : 8), median: 80 }));
  return {
    name: "type-louder", seed: 402, t0: T0, minutes: HISTORY, estate, orgId, installAt: at(-440), auditLog: true,
    story: "from 09:12 the people send ×3 their requests (a volume anomaly of their type), as fast as ever: nothing got slower",
    traffic: { callers: [...steady.callers, ...callers] },
    endpoint: target(ep),
    expected: { culprit: null },
  };
}
