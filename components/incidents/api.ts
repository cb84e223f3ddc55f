// The incident API from the browser (one function per call; the hooks and buttons use these).
import { fetchJson } from "@/components/ui/fetch-json";
import type { IncidentJson, OwnerOption } from "@/lib/incidents/types";
import type { CreateIncidentBody, UpdateIncidentBody } from "@/lib/incidents/schema";

const path = (slug: string, rest = "") => `/api/incidents/${encodeURIComponent(slug)}${rest}`;

export const fetchOwners = (signal?: AbortSignal) => fetchJson<{ owners: OwnerOption[]; me: string | null }>("/api/incidents/owners", { signal });
export const fetchIncident = (slug: string, signal?: AbortSignal) => fetchJson<IncidentJson>(path(slug), { signal });
export const postIncident = (body: CreateIncidentBody) => fetchJson<{ slug: string; url: string }>("/api/incidents", { method: "POST", json: body });
export const patchIncident = (slug: string, body: UpdateIncidentBody) => fetchJson<IncidentJson>(path(slug), { method: "PATCH", json: body });
export const postNote = (slug: string, body: string) => fetchJson<IncidentJson>(path(slug, "/notes"), { method: "POST", json: { body } });
export const revokeIncidentLink = (slug: string) => fetchJson<{ revoked: true }>(path(slug, "/revoke"), { method: "POST", json: {} });
export const reshareIncidentLink = (slug: string) => fetchJson<{ slug: string; url: string }>(path(slug, "/reshare"), { method: "POST", json: {} });
