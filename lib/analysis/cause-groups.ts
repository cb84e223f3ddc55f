// Suspects that are one story told several ways. An access change that let a key in, that key,
// the identity behind it and the policy it runs under often carry the very same requests and
// share: listed separately they read as three causes of 97% each (291%). Grouped, they are one
// causal chain (change → key → identity) and one line of the answer. Works on the engine's
// Suspect and the API's SuspectJson alike (only the fields below are read).

/** What grouping reads of a suspect. */
export interface Groupable {
  kind: string;
  id: string;
  label: string;
  share: { point: number; lo: number; hi: number };
  evidence: {
    requestsBefore: number;
    requestsAfter: number;
    p99After: number | null;
    p99Without: number | null;
    enables?: { keyHashes: string[]; reason?: string };
    enabledBy?: { changeId: string }[];
  };
}

export interface CauseGroup<S> {
  /** The chain's first link: the access change when there is one, else the most specific caller. */
  lead: S;
  /** The same cause seen through other groupings (the key it let in, the identity, the policy). */
  also: S[];
}

const isChange = (s: Groupable) => s.kind === "access_change" || s.kind === "deploy";

/**
 * A fingerprint of the requests a caller suspect covers: a key, its identity and its only
 * policy produce identical evidence. Null for changes (each is its own act by someone) and for
 * suspects without requests in the incident (nothing to compare).
 */
function signature(s: Groupable): string | null {
  if (isChange(s) || s.evidence.requestsAfter <= 0) return null;
  const e = s.evidence;
  return [s.share.point, s.share.lo, s.share.hi, e.requestsBefore, e.requestsAfter, e.p99After, e.p99Without].join("|");
}

/**
 * Groups one ranked list into causes, in the order of each cause's best-ranked member: an access
 * change with the keys it enabled (by its `enables` or their `enabledBy`) and every caller suspect
 * covering the same requests as those keys; otherwise caller suspects with identical evidence.
 */
export function groupByCause<S extends Groupable>(list: S[]): CauseGroup<S>[] {
  const chains = new Map<string, CauseGroup<S>>(); // change id → its group
  const byKey = new Map<string, CauseGroup<S>>();
  for (const s of list) {
    if (s.kind !== "access_change" || !s.evidence.enables?.keyHashes.length) continue;
    const g = { lead: s, also: [] };
    chains.set(s.id, g);
    for (const k of s.evidence.enables.keyHashes) if (!byKey.has(k)) byKey.set(k, g);
  }
  // A change that created a key or OAuth client (reason new_*) is the story of the caller of that name.
  const created = new Map<string, CauseGroup<S>>();
  for (const g of chains.values()) if (g.lead.evidence.enables?.reason?.startsWith("new_")) created.set(g.lead.label, g);
  const chainOf = (s: S) => (s.kind === "key" ? byKey.get(s.id) : undefined)
    ?? s.evidence.enabledBy?.map((e) => chains.get(e.changeId)).find((g) => g != null)
    ?? (s.kind === "key" || s.kind === "oauth_client" ? created.get(s.label) : undefined);
  // A signature shared with a chained key belongs to the chain, whichever is ranked first.
  const bySignature = new Map<string, CauseGroup<S>>();
  for (const s of list) {
    const g = chainOf(s), sig = signature(s);
    if (g && sig && !bySignature.has(sig)) bySignature.set(sig, g);
  }

  const order = new Map<CauseGroup<S>, number>();
  list.forEach((s, i) => {
    const sig = signature(s);
    let g = chains.get(s.id) ?? chainOf(s) ?? (sig ? bySignature.get(sig) : undefined);
    if (!g) {
      g = { lead: s, also: [] };
      if (sig) bySignature.set(sig, g);
    } else if (g.lead !== s) g.also.push(s);
    if (!order.has(g)) order.set(g, i);
  });
  return [...order.entries()].sort((a, b) => a[1] - b[1]).map(([g]) => g);
}
