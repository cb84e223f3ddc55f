import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
// `node --import tsx` runs the script in this one process; tsx's own CLI runs it in a grandchild,
// which a stop signal to the child could leave behind holding its port.
const TSX_IMPORT = ["--import", "tsx"];
const NEXT_CLI = path.join(REPO_ROOT, "node_modules/next/dist/bin/next");

export interface Child {
  name: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a long-running child whose output goes to `<logDir>/<name>.log`. */
export function startChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, logDir: string): Child {
  mkdirSync(logDir, { recursive: true });
  const out = createWriteStream(path.join(logDir, `${name}.log`), { flags: "a" });
  const proc = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  proc.stdout?.pipe(out);
  proc.stderr?.pipe(out);
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  return {
    name,
    proc,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function startTsx(name: string, file: string, env: NodeJS.ProcessEnv, logDir: string): Child {
  return startChild(name, process.execPath, [...TSX_IMPORT, file], env, logDir);
}

/** The console, served by scripts/serve.ts (what `npm start` runs) on localhost:`port`. */
export function startNext(port: number, env: NodeJS.ProcessEnv, logDir: string): Child {
  return startTsx("app", "scripts/serve.ts", { ...env, PORT: String(port), HOSTNAME: "localhost" }, logDir);
}

/**
 * Runs a command to completion; rejects with its last output lines when it fails. `echo` copies
 * its output to ours as it comes, or hands over each whole line.
 */
export function runToEnd(command: string, args: string[], env: NodeJS.ProcessEnv, opts: { echo?: boolean | ((line: string) => void) } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const proc = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let tail = "";
    let partial = "";
    const keep = (chunk: Buffer) => {
      if (opts.echo === true) process.stdout.write(chunk);
      else if (opts.echo) {
        const lines = (partial + chunk.toString()).split("\n");
        partial = lines.pop() ?? "";
        for (const line of lines) opts.echo(line);
      }
      tail = (tail + chunk.toString()).slice(-4000);
    };
    proc.stdout.on("data", keep);
    proc.stderr.on("data", keep);
    proc.on("error", reject);
    proc.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(args[0] ?? command)} exited with ${code}:\n${tail}`))));
  });
}

export function nextBuild(env: NodeJS.ProcessEnv, echo = false): Promise<void> {
  return runToEnd(process.execPath, [NEXT_CLI, "build"], env, { echo });
}

export function runTsx(file: string, args: string[], env: NodeJS.ProcessEnv, echo: boolean | ((line: string) => void) = false): Promise<void> {
  return runToEnd(process.execPath, [...TSX_IMPORT, file, ...args], env, { echo });
}

/** Polls `url` until it answers with a status below 500 (or `ok(status)`), or the child dies. */
export async function waitForHttp(url: string, child: Child | null, timeoutMs = 60_000, ok = (s: number) => s < 500): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    if (child && (child.proc.exitCode !== null || child.proc.signalCode !== null)) {
      throw new Error(`${child.name} exited before it was ready (see its log)`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000), redirect: "manual" });
      if (ok(res.status)) return;
      last = `status ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${url} (${last})`);
}
