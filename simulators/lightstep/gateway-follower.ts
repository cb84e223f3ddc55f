// The Lightstep simulator's copy of the world learns what changed the Tyk simulator's (the policies
// written there, which its gateway enforces, and floods started there) by polling the Tyk simulator's
// `GET /_sim/world-inputs`: the traces of the requests the gateway refused, and the latencies of
// those it let through, then agree with the Pump's rows.
import type { PolicyWrite, WorldFlood } from "../world/types";

export interface GatewaySource {
  url: string;
  apiKey: string;
  /** How often to ask (default 2000 ms). */
  intervalMs?: number;
}

export interface WritableWorld {
  writePolicy(write: PolicyWrite): void;
  policyWrites(): PolicyWrite[];
  startFlood(flood: WorldFlood): void;
  floods(): WorldFlood[];
}

export interface GatewayFollower {
  /** Asks once; resolves after any new writes are applied. */
  poll(): Promise<void>;
  stop(): void;
}

/** `onChange(at)`: the world's answers from `at` on changed. */
export function followGateway(source: GatewaySource, world: WritableWorld, onChange: (at: Date) => void): GatewayFollower {
  const poll = async () => {
    const res = await fetch(`${source.url}/_sim/world-inputs`, { headers: { Authorization: source.apiKey } });
    if (!res.ok) return;
    const inputs = (await res.json()) as { policyWrites: { id: string; at: string; body: Record<string, unknown> }[]; floods: { at: string; minutes: number }[] };
    for (const w of inputs.policyWrites.slice(world.policyWrites().length)) {
      world.writePolicy({ ...w, at: new Date(w.at) });
      onChange(new Date(w.at));
    }
    for (const f of inputs.floods.slice(world.floods().length)) {
      world.startFlood({ ...f, at: new Date(f.at) });
      onChange(new Date(f.at));
    }
  };
  // A gateway that is down (or not started yet) simply teaches nothing this round.
  const timer = setInterval(() => void poll().catch(() => undefined), source.intervalMs ?? 2000);
  timer.unref();
  return { poll, stop: () => clearInterval(timer) };
}
