export { syncTyk, TYK_SYNC_STATE, type SyncTykOptions, type TykSyncState } from "./sync";
export { diffSnapshots, deepEqual, type DiffEntry } from "./diff";
export { identityForKey, type IdentityRef, type KeyIdentityInput } from "./identity-rule";
export { parseAuditTarget, type AuditTarget } from "./audit-target";
export { BEFORE_FIRST_SYNC } from "./stage-history";
export type { AuditMode } from "./stage-audit";
