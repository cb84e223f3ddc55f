// `npm run touchline -- <command>`: see USAGE in ./args.ts.
import { parseCommand, USAGE, UsageError, type Command } from "./args";
import { ApiCallError } from "./http";
import { runRemote } from "./remote-commands";

const out = (text: string) => process.stdout.write(`${text}\n`);

// stdout is for answers (JSON with --json): every log line goes to stderr.
process.env.LOG_DESTINATION = "stderr";
// A reader that stops early (`| head`) closes the pipe: that ends the command quietly.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});

async function main(): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`touchline: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
  if (command.cmd === "help") {
    out(USAGE);
    return 0;
  }
  if ("remote" in command) {
    await runRemote(command, out);
    return 0;
  }
  if (!process.env.DATABASE_URL) {
    throw new UsageError("tokens commands need DATABASE_URL: the console's own database (they run on the server, against it), " +
      "and the server's TOUCHLINE_AUDIT_KEY (they are audited). For the demo, `npm run demo` prints both exports.");
  }
  // Imported lazily so API commands never need DATABASE_URL or the Prisma client.
  const [{ createDb }, { runTokens }] = await Promise.all([import("@/lib/db"), import("./token-commands")]);
  const db = createDb();
  try {
    await runTokens(db, command, out);
  } finally {
    await db.$disconnect();
  }
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err) => {
    const known = err instanceof UsageError || err instanceof ApiCallError;
    process.stderr.write(`touchline: ${known ? err.message : err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = err instanceof UsageError ? 2 : 1;
  },
);
