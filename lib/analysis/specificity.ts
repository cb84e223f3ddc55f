// The most specific suspect first: when a broad caller group (a policy or OAuth client with many
// keys, an identity with several) earns its share through one member, that member ranks first and
// names the group as its context ("wayne-partner 64% — under partner-gold, whose other keys add
// 2%"), instead of the group ranking first because its interval happens to be a point higher.
import type { GroupData } from "./traffic";
import type { GroupKind, Suspect } from "./types";

// A user type (type-candidates.ts) is the broadest: a key, identity or policy that carries its share ranks first.
const SPECIFICITY: Record<GroupKind | "user_type", number> = { key: 0, identity: 1, oauth_client: 2, policy: 3, user_type: 4 };
type CallerKind = keyof typeof SPECIFICITY;

const isCaller = (s: Suspect): s is Suspect & { kind: CallerKind } => s.kind in SPECIFICITY;

/** Whether every key of `m` is one of `g`'s (a member is a subset of the group's requests). */
function within(m: GroupData, g: GroupData): boolean {
  for (const k of m.keys) if (!g.keys.has(k)) return false;
  return true;
}

/** The member carries (nearly) all of the group's share: what the group's other members add is small. */
const carries = (m: Suspect, g: Suspect) => m.share.point >= g.share.point - Math.max(0.1, 0.25 * g.share.point);

/**
 * `ranked` (significant suspects, best first) with each group's carrying members moved right before
 * it, most specific first. Every significant member's `evidence.within` names its broadest group
 * among `pool` (every suspect, significant or not: a group whose share comes from the member alone
 * may not stand out itself, yet it is the member's context).
 */
export function mostSpecificFirst(ranked: Suspect[], groups: ReadonlyMap<string, GroupData>, pool: Suspect[] = ranked): Suspect[] {
  const data = (s: Suspect) => groups.get(`${s.kind}:${s.id}`);
  const membersOf = (g: Suspect, among: Suspect[] = ranked): Suspect[] => {
    const gd = data(g);
    if (!gd || !isCaller(g)) return [];
    return among.filter((m) => m !== g && isCaller(m) && SPECIFICITY[m.kind] < SPECIFICITY[g.kind] && carries(m, g) && within(data(m)!, gd));
  };
  // Context: the broadest group a member carries (most keys; the less specific on a tie).
  for (const g of pool) {
    const gd = data(g);
    if (!gd) continue;
    for (const m of membersOf(g)) {
      const w = m.evidence.within;
      const current = w ? groups.get(`${w.kind}:${w.id}`) : undefined;
      if (!current || gd.keys.size > current.keys.size || (gd.keys.size === current.keys.size && SPECIFICITY[g.kind as CallerKind] > SPECIFICITY[w!.kind])) {
        m.evidence.within = {
          kind: g.kind as CallerKind, id: g.id, label: g.label, share: g.share.point,
          othersAdd: Math.max(0, Math.round((g.share.point - m.share.point) * 1000) / 1000), otherKeys: gd.keys.size - data(m)!.keys.size,
        };
      }
    }
  }
  const out: Suspect[] = [];
  const placed = new Set<Suspect>();
  for (const g of ranked) {
    if (placed.has(g)) continue;
    const pulled = membersOf(g).filter((m) => !placed.has(m)).sort((a, b) => SPECIFICITY[a.kind as CallerKind] - SPECIFICITY[b.kind as CallerKind] || ranked.indexOf(a) - ranked.indexOf(b));
    for (const m of pulled) {
      out.push(m);
      placed.add(m);
    }
    out.push(g);
    placed.add(g);
  }
  return out;
}
