/**
 * The density tiers' worlds (README "Performance"): one hot endpoint at 1, 10, 100 req/s for a day,
 * and a gateway-wide stress at 1,000 req/s. Pure: shapes, the planted incident and the figures'
 * names; generation lives in density-generate.ts.
 *
 * Every tier has the same catalog (600 keys, their identities and policies), the same background
 * traffic on the other endpoints, the same incident times and the same analysis window: tiers
 * differ only in the hot endpoint's request rate (and the culprit policy's limits, which scale
 * with its key's rate so that the raise still lets it through).
 */
import { createHash } from "node:crypto";
import { DAY, MINUTE, PERIOD_END } from "./dataset";

export interface DensityWorld {
  apis: number;
  /** Endpoint e belongs to API floor(e / 10), as in the main data set. */
  endpoints: number;
  keys: number;
  identities: number;
  policies: number;
}

/** The tiers' catalog: 600 callers on 50 endpoints. */
export const TIER_WORLD: DensityWorld = { apis: 5, endpoints: 50, keys: 600, identities: 150, policies: 60 };
/** The stress's catalog: a larger gateway. */
export const STRESS_WORLD: DensityWorld = { apis: 20, endpoints: 200, keys: 5000, identities: 1000, policies: 200 };

/**
 * Callers are skewed: row → key floor(keys · u^KEY_SKEW) for a uniform u, so key k's share is
 * ((k+1)/keys)^(1/KEY_SKEW) − (k/keys)^(1/KEY_SKEW): the top key ~7.7 %, the top ten ~19 %, the
 * bottom half ~24 % together.
 */
export const KEY_SKEW = 2.5;
/** The hot endpoint (bench-ep-000). */
export const HOT_ENDPOINT = 0;
/** Requests per second on the other endpoints, the same in every tier. */
export const BACKGROUND_RATE = 1;
/** The culprit: the third heaviest caller (~1.8 % of the traffic). */
export const CULPRIT_KEY = 2;
export const SURGE_FACTOR = 5;
export const SURGE_MINUTES = 45;
/** The culprit policy is raised this long before its key surges. */
export const CHANGE_LEAD_MINUTES = 12;
/** Rate of the stress, across all endpoints. */
export const STRESS_RATE = 1000;

export interface Incident {
  culpritKey: number;
  culpritPolicy: number;
  changeAt: number;
  surgeStart: number;
  surgeEnd: number;
  /** Extra requests from the culprit during the surge (on top of its usual share). */
  surgeRows: number;
  /** The culprit policy's limit (requests per minute) before and after the raise. */
  limitBefore: number;
  limitAfter: number;
}

export interface DensityTraffic {
  world: DensityWorld;
  from: number;
  to: number;
  /** Requests per second on the hot endpoint (0: none, every endpoint is background). */
  hotRate: number;
  /** Requests per second over the other endpoints. */
  backgroundRate: number;
  hotRows: number;
  backgroundRows: number;
  incident: Incident | null;
}

export function keyShare(k: number, keys: number): number {
  return ((k + 1) / keys) ** (1 / KEY_SKEW) - (k / keys) ** (1 / KEY_SKEW);
}

/**
 * One tier: `rate` req/s on the hot endpoint over a "day" of `hours` ending at PERIOD_END, the
 * incident 60 % into it. The culprit's limit before the raise is twice its usual rate (so it was
 * rejected now and then), after it ten times that.
 */
export function tierTraffic(rate: number, hours = 24): DensityTraffic {
  if (!(rate > 0)) throw new Error("a tier's rate must be > 0");
  if (!(hours >= 2 && hours <= 24)) throw new Error("a tier's day is 2 to 24 hours");
  const world = TIER_WORLD;
  const from = PERIOD_END - Math.round(hours * 60) * MINUTE;
  const to = PERIOD_END;
  const surgeStart = from + Math.round(((to - from) * 0.6) / MINUTE) * MINUTE;
  const share = keyShare(CULPRIT_KEY, world.keys);
  const usualPerMin = share * (rate + BACKGROUND_RATE) * 60;
  const limitBefore = Math.max(3, Math.ceil(2 * usualPerMin));
  return {
    world, from, to, hotRate: rate, backgroundRate: BACKGROUND_RATE,
    hotRows: Math.round((rate * (to - from)) / 1000),
    backgroundRows: Math.round((BACKGROUND_RATE * (to - from)) / 1000),
    incident: {
      culpritKey: CULPRIT_KEY,
      culpritPolicy: CULPRIT_KEY % world.policies,
      changeAt: surgeStart - CHANGE_LEAD_MINUTES * MINUTE,
      surgeStart,
      surgeEnd: surgeStart + SURGE_MINUTES * MINUTE,
      surgeRows: Math.round((SURGE_FACTOR - 1) * share * rate * SURGE_MINUTES * 60),
      limitBefore,
      limitAfter: 10 * limitBefore,
    },
  };
}

/** The stress: STRESS_RATE req/s over every endpoint of STRESS_WORLD for `minutes`, no incident, within one day. */
export function stressTraffic(minutes = 60): DensityTraffic {
  if (!(minutes >= 2 && minutes <= DAY / MINUTE)) throw new Error("the stress lasts 2 minutes to a day");
  const from = PERIOD_END - minutes * MINUTE;
  return {
    world: STRESS_WORLD, from, to: PERIOD_END, hotRate: 0, backgroundRate: STRESS_RATE,
    hotRows: 0, backgroundRows: STRESS_RATE * minutes * 60, incident: null,
  };
}

export const tierName = (rate: number) => `${rate}rps`;
export const densityKeyHash = (k: number) => createHash("sha256").update(`bench-key-${k}`).digest("hex");
export const densityPolicyId = (p: number) => `bench-pol-${p}`;
