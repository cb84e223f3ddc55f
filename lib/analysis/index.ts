// Public surface of the attribution engine (pure functions, no I/O).
export type * from "./types";
export { detectSpike, detectLatestSpike, detectSpikes, windowsForSpike, type SpikeOptions, type WindowOptions } from "./spike";
export { isReportableSpike, compareSpikeSeverity, SPIKE_RULE } from "./spike-rule";
export { cellsFromRequests, indexTraffic, NO_KEY, type IndexedTraffic } from "./traffic";
export { keyLineage, withLineage, NO_LINEAGE, type KeyLineage } from "./lineage";
export { cellTableOf, cellsOfTable, type CellCaller, type CellTable } from "./cell-table";
export { answerViolations } from "./invariants";
export { findTouches, findChangeTouches, changeMinute, shiftOf, topShifts, byVolume, type ShiftCounts, type TouchOptions } from "./touches";
export { linkEnabledTraffic, limitChange, relaxationOf, callersSlowedFraction, callersSlowed, type LinkOptions, type RelaxationFound } from "./enabled-by";
export { attribute, scoreAttribution, MIN_REQUESTS, type AttributeOptions, type FinishAttribution } from "./attribute";
export { investigate, scoreInvestigation, planInvestigation, withKeyPolicies, type FinishInvestigation, type InvestigationInput, type InvestigationOptions, type InvestigationPlan } from "./investigate";
export { LATENCY_BIN_SQL, latencyBin, BIN_COUNT, BIN_GROWTH } from "./histogram";
export { isGatewayRejection, GATEWAY_REJECTION_SQL } from "./rejections";
