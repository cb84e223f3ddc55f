import type { Figure } from "./results";
import type { BenchServer } from "./server";
export async function measureSync(_s: BenchServer, _scale: number, _log: (s: string) => void): Promise<{ figures: Figure[]; notes: string[] }> {
  return { figures: [], notes: [] };
}
