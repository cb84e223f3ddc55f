// Playwright's webServer runs this: the whole stack on the e2e ports, stopped when Playwright ends it.
import { E2E_PORTS, startStack } from "./stack/stack";

async function main() {
  const stack = await startStack({ mode: "e2e", ports: E2E_PORTS, build: process.env.E2E_SKIP_BUILD !== "1", log: (l) => console.log(l) });
  const shutdown = async () => {
    await stack.stop();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((err) => {
  console.error(`e2e stack failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
