import { seedAccessDemo } from "./stack/access-demo";
import { DEMO_PASSWORD, DEMO_PORTS, DEMO_USERS, startStack } from "./stack/stack";

const noBuild = process.argv.includes("--no-build");

async function main() {
  const stack = await startStack({ mode: "demo", ports: DEMO_PORTS, build: !noBuild, log: (l) => console.log(`  ${l}`) });
  const shutdown = async () => {
    console.log("\nstopping…");
    await stack.stop();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  const access = await seedAccessDemo(stack.env.DATABASE_URL!);
  console.log(`
Touchline is running: ${stack.appUrl}

Sign in through the local IdP ("Acme SSO") with one of (password: ${DEMO_PASSWORD}):
${DEMO_USERS.map((u) => `  ${u.email.padEnd(18)} ${u.role}`).join("\n")}

The seeded incident: GET /orders got slow about two hours ago. Logs: .data/logs/demo/. Ctrl-C stops everything.
${access ? "Temporary access: as rui, Access → request free-tier (≤ 60 min) — the on-call rule approves it at once; vera's requests wait for ada.\n" : ""}
The demo's database and audit key, for the CLI (e.g. \`npm run touchline -- tokens create --name bot --scope read\`):
  export DATABASE_URL=${stack.env.DATABASE_URL}
  export TOUCHLINE_AUDIT_KEY=$(node -p "require('./.data/demo-secrets.json').auditKey")
`);
}

main().catch((err) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
