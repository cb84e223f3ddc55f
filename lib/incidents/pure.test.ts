import { describe, expect, it } from "vitest";
import { can, type Permission } from "@/lib/auth/permissions";
import type { Role } from "@/lib/auth/roles";
import type { SuspectJson } from "@/lib/investigation/result";
import { mayManageLink, mayView, type IncidentViewer } from "./access";
import { createIncidentBody, updateIncidentBody } from "./schema";
import { newSlug } from "./slug";
import { incidentMarkdown } from "./summary";

const user = (role: Role, id = `u-${role}`): IncidentViewer => ({ type: "user", id, email: `${id}@acme.test`, role, can: (p: Permission) => can(role, p) });

describe("newSlug", () => {
  it("has a readable stem and 128 random bits; two slugs for one title differ", () => {
    expect(newSlug("GET /orders: p99 ×10!", Buffer.alloc(16, 0))).toBe(`get-orders-p99-10-${"a".repeat(26)}`);
    expect(newSlug("")).toMatch(/^[a-z2-7]{26}$/);
    expect(newSlug("same")).not.toBe(newSlug("same"));
    expect(newSlug("x".repeat(100)).length).toBe(40 + 1 + 26);
    expect(newSlug("Orders p99 spike after partner-gold change", Buffer.alloc(16, 0))).toBe(`orders-p99-spike-after-partner-gold-${"a".repeat(26)}`);
  });
});

describe("access", () => {
  it("viewers see 'all' incidents only; responders and admins see both", () => {
    expect(mayView(user("viewer"), { visibility: "all" })).toBe(true);
    expect(mayView(user("viewer"), { visibility: "responders" })).toBe(false);
    expect(mayView(user("responder"), { visibility: "responders" })).toBe(true);
    expect(mayView(user("admin"), { visibility: "responders" })).toBe(true);
  });

  it("only the owner or an admin manages the link, never a token", () => {
    const inc = { visibility: "all", ownerId: "u-owner", ownerEmail: "u-owner@acme.test" };
    expect(mayManageLink(user("responder", "u-owner"), inc)).toBe(true);
    expect(mayManageLink(user("responder"), inc)).toBe(false);
    expect(mayManageLink(user("admin"), inc)).toBe(true);
    expect(mayManageLink({ ...user("admin"), type: "token" }, inc)).toBe(false);
  });
});

describe("schemas", () => {
  const ok = { endpointId: "e", from: "2026-01-01T00:00:00Z", to: "2026-01-01T01:00:00Z", title: "Slow", severity: "sev2" };
  it("names the bad field", () => {
    expect(createIncidentBody.parse(ok)).toMatchObject({ visibility: "all", from: Date.parse(ok.from) });
    expect(createIncidentBody.safeParse({ ...ok, to: ok.from }).error?.issues[0].path).toEqual(["to"]);
    expect(createIncidentBody.safeParse({ ...ok, severity: "sev5" }).error?.issues[0].path).toEqual(["severity"]);
    expect(createIncidentBody.safeParse({ ...ok, title: " a " }).error?.issues[0].path).toEqual(["title"]);
    expect(updateIncidentBody.safeParse({}).success).toBe(false);
    expect(updateIncidentBody.parse({ status: "resolved" })).toEqual({ status: "resolved" });
  });
});

describe("incidentMarkdown", () => {
  it("gives title, endpoint, verdict, top suspects with their diff, owner and the link", () => {
    const suspect = {
      rank: 1, kind: "access_change", id: "c1", label: "partner-gold", changedAt: "2026-01-01T00:10:00.000Z", actor: "ada@acme.test",
      share: { point: 0.62, lo: 0.48, hi: 0.75 }, evidence: { diff: [{ path: "rate", before: 100, after: 2000 }], exemplarTraceIds: [] },
    } as unknown as SuspectJson;
    const md = incidentMarkdown({
      title: "Orders *slow*", severity: "sev2", status: "open", url: "https://tl/incidents/x", ownerEmail: "rui@acme.test",
      endpointLabel: "GET /orders", apiName: "Orders API", window: { from: "2026-01-01T00:00:00.000Z", to: "2026-01-01T01:00:00.000Z" },
      verdict: "partner-gold explains most of it.", suspects: [suspect],
    });
    expect(md.split("\n")).toEqual([
      "**\\[SEV2\\] Orders \\*slow\\*** — open",
      "Endpoint: GET \\/orders (Orders API) · 2026-01-01 00:00 UTC – 2026-01-01 01:00 UTC",
      "Verdict: partner\\-gold explains most of it\\.",
      "Top suspects:",
      "1. **partner\\-gold** (access change) — 62% of the excess (48%–75%) · changed 2026-01-01 00:10 UTC by ada\\@acme\\.test · rate 100 → 2000",
      "Owner: rui\\@acme\\.test · Evidence (SSO): https://tl/incidents/x",
    ]);
  });
});
