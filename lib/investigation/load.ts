// The investigation's SQL side: one query per concern, aggregation in PostgreSQL.
export { loadSeries, latestDataAt, type LoadedSeries, type SeriesSource } from "./load-series";
export { loadTrafficCells, loadTrafficTable } from "./load-traffic";
export { loadAccessChanges, loadChangesAround, loadDeploysAround, changesReaching, type ChangeAround, type EndpointRef, type SeenCallers } from "./load-changes";
export { loadCallerContext, loadKeyPoliciesAsOf, loadExemplars, loadStoredExemplars, exemplarsOf, keyLabel, type CallerContext, type ExemplarRef, type CallerIds, type StoredExemplars, type IdentityInfo } from "./load-context";
