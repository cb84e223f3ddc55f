import { createHash, timingSafeEqual } from "node:crypto";

/** The one password every seeded demo account uses (this IdP only ever runs for demos and tests). */
export const DEMO_PASSWORD = "touchline-demo";

export type DemoUser = {
  /** Stable subject identifier: what the app stores as the identity behind a session. */
  sub: string;
  email: string;
  name: string;
  groups: readonly string[];
};

/** An account to seed; `password` defaults to DEMO_PASSWORD. */
export type DemoUserSeed = DemoUser & { password?: string };

export const SEEDED_USERS: readonly DemoUser[] = [
  { sub: "acme-ada", email: "ada@acme.test", name: "Ada Admin", groups: ["platform-admins", "engineering"] },
  { sub: "acme-rui", email: "rui@acme.test", name: "Rui Responder", groups: ["oncall", "engineering"] },
  { sub: "acme-vera", email: "vera@acme.test", name: "Vera Viewer", groups: ["engineering"] },
];

export type UserDirectory = {
  /** The accounts, without passwords (the login page lists them as a demo hint). */
  list(): DemoUser[];
  /** Looks an account up by subject identifier (what oidc-provider's findAccount receives). */
  findBySub(sub: string): DemoUser | undefined;
  /**
   * Checks an email/password pair. Returns undefined for an unknown email and a wrong password alike,
   * after the same amount of work, so callers cannot tell the two apart (no account enumeration).
   */
  verify(email: string, password: string): DemoUser | undefined;
  /** The password shared by every account, when they all use DEMO_PASSWORD (shown in the demo hint). */
  sharedPassword?: string;
  /**
   * Replaces an account's groups, as an IdP admin would (tests: a user removed from on-call). The
   * next userinfo or token answer carries them. False for an unknown email.
   */
  setGroups(email: string, groups: readonly string[]): boolean;
};

type StoredUser = DemoUser & { passwordDigest: Buffer };

// Digests have equal length, which timingSafeEqual needs; the raw passwords are not kept.
const digest = (password: string): Buffer => createHash("sha256").update(password, "utf8").digest();
const DECOY_DIGEST = digest("unknown-account");

const publicView = ({ sub, email, name, groups }: StoredUser): DemoUser => ({ sub, email, name, groups: [...groups] });

export function createUserDirectory(seeds: readonly DemoUserSeed[] = SEEDED_USERS): UserDirectory {
  const stored: StoredUser[] = seeds.map(({ password, ...user }) => ({
    ...user,
    email: user.email.trim().toLowerCase(),
    groups: [...user.groups],
    passwordDigest: digest(password ?? DEMO_PASSWORD),
  }));
  return {
    sharedPassword: seeds.every((seed) => seed.password === undefined) ? DEMO_PASSWORD : undefined,
    list: () => stored.map(publicView),
    findBySub(sub) {
      const found = stored.find((user) => user.sub === sub);
      return found ? publicView(found) : undefined;
    },
    setGroups(email, groups) {
      const found = stored.find((user) => user.email === email.trim().toLowerCase());
      if (found) found.groups = [...groups];
      return found !== undefined;
    },
    verify(email, password) {
      const normalized = email.trim().toLowerCase();
      const found = stored.find((user) => user.email === normalized);
      const matches = timingSafeEqual(digest(password), found?.passwordDigest ?? DECOY_DIGEST);
      return found && matches ? publicView(found) : undefined;
    },
  };
}
