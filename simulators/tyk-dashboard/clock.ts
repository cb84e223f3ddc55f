// Simulator-only clock: the Dashboard serves the world "as of" wall clock − offset, so a demo can
// replay the day's history through the real API (each sync sees the state at that moment). Time
// keeps moving while set. Controlled via PUT /_sim/clock (outside /api: no real Dashboard has it).

export interface SimClock {
  now(): Date;
  /** `null` → the live wall clock. */
  set(asOf: Date | null): void;
  isLive(): boolean;
}

export function createSimClock(): SimClock {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() - offsetMs),
    set(asOf) {
      offsetMs = asOf ? Date.now() - asOf.getTime() : 0;
    },
    isLive: () => offsetMs === 0,
  };
}

/** Parses `{"asOf": ISO | epoch ms | null}`; a string error names what is wrong. */
export function parseClockBody(text: string): { asOf: Date | null } | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return "body is not JSON";
  }
  if (!body || typeof body !== "object" || !("asOf" in body)) return 'expected {"asOf": ISO time | null}';
  const raw = (body as { asOf: unknown }).asOf;
  if (raw === null) return { asOf: null };
  if (typeof raw !== "string" && typeof raw !== "number") return "asOf must be an ISO time, epoch ms or null";
  const d = new Date(raw);
  return Number.isNaN(d.getTime()) ? "asOf is not a time" : { asOf: d };
}

/** Parses `{"minutes": 1–240}` for PUT /_sim/flood; a string error names what is wrong. */
export function parseFloodBody(text: string): { minutes: number } | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return "body is not JSON";
  }
  const minutes = body && typeof body === "object" ? (body as { minutes?: unknown }).minutes : undefined;
  if (typeof minutes !== "number" || !Number.isInteger(minutes) || minutes < 1 || minutes > 240) return "minutes must be a whole number from 1 to 240";
  return { minutes };
}
