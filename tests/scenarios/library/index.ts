// The scenario library: every scenario the runner test plays, culprit scenarios first.
import type { Scenario } from "../scenario";
import { flood, newKeyExpensive } from "./controls";
import { apiLimitRemoved, auditOnlyChange, deletedKey, deploySlowdown, newOAuthClient, noAuditLog, oneMemberOfMany, tracklessApi } from "./culprits";
import { typeLouder, typeSlowed } from "./user-types";
import { newFastKey, organicGrowth, retryStormRejected, rotationBeforeSlowdown, upstreamSlowdown } from "./nulls";

export function scenarioLibrary(): Scenario[] {
  return [
    flood(), newKeyExpensive(),
    deletedKey(), newOAuthClient(), apiLimitRemoved(), noAuditLog(), deploySlowdown(), auditOnlyChange(), oneMemberOfMany(), tracklessApi(), typeSlowed(),
    upstreamSlowdown(), rotationBeforeSlowdown(), retryStormRejected(), organicGrowth(), newFastKey(), typeLouder(),
  ];
}
