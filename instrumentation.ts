// Runs once when the server starts (Node runtime only; the proxy runs on the edge runtime).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startServer } = await import("@/lib/startup");
    startServer();
  }
}
