// Prints the ranked suspects of the demo's GET /orders incident, to check attribution on real demo
// data: `DEMO_DATABASE_URL=postgres://… npx tsx lib/investigation/testing/print-demo-suspects.ts [METHOD] [PATH]`.
import { createDb } from "@/lib/db";
import { investigateEndpoint } from "@/lib/investigation/investigate-endpoint";

const url = process.env.DEMO_DATABASE_URL ?? process.env.DATABASE_URL;
const [method = "GET", path = "/orders"] = process.argv.slice(2);
const db = createDb(url);
try {
  const endpoints = await db.endpoint.findMany({ where: { method }, select: { id: true, path: true, apiId: true } });
  const ep = endpoints.find((e) => e.path === path) ?? endpoints.find((e) => e.path.endsWith(path));
  if (!ep) throw new Error(`No endpoint ${method} ${path} among ${endpoints.map((e) => e.path).join(", ")}`);
  const inv = await investigateEndpoint(db, { endpointId: ep.id });
  console.log(`${method} ${ep.path} (${ep.id}) — ${inv.verdict.verdict}: ${inv.verdict.summary}`);
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  for (const s of [...inv.suspects, ...inv.notSignificant]) {
    const e = s.evidence;
    const why = e.enables ? ` enables[${e.enables.reason}: ${e.enables.keyHashes.length} key(s)${e.enables.detail ? ` — ${e.enables.detail}` : ""}]` : "";
    console.log(
      `${String(s.rank).padStart(2)} ${s.significant ? "SIG" : "   "} ${s.kind.padEnd(13)} ${s.label.padEnd(28)} ${pct(s.share.point).padStart(5)} ` +
      `[${pct(s.share.lo)}–${pct(s.share.hi)}] q=${s.qValue.toExponential(1)} ${s.mechanism}${why}`,
    );
  }
} finally {
  await db.$disconnect();
}
