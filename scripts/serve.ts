// The console's HTTP server (`npm start` and the demo/e2e stacks run it): Next's request handler
// behind Node's own server, so that
// - the TCP peer reaches the app (lib/security/client-ip.ts: forwarded headers are believed only
//   from TRUSTED_PROXIES; `next start` hides the peer whenever a client sends X-Forwarded-For);
// - a request must arrive whole in time: headers within 10 s, the whole request within 30 s
//   (Node's defaults, 60 s and 5 min, let a slow client hold a connection for minutes);
// - a method no route has (TRACE, PROPFIND…) gets 405 JSON instead of Next's 500.
import { createServer } from "node:http";
import path from "node:path";
import next from "next";
import { peerAddresses } from "@/lib/security/client-ip";
import { refuseMethod } from "@/lib/security/methods";

const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
// An idle keep-alive connection is kept longer than a load balancer's idle timeout (60 s on the
// common ones) and than a slow answer (an export) takes: closing it first races the client's next
// request on it, which then fails with a reset instead of an answer.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

async function main() {
  const port = Number(process.env.PORT ?? 3000);
  const hostname = process.env.HOSTNAME || undefined;
  const app = next({ dev: false, dir: path.resolve(import.meta.dirname, ".."), hostname, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const peers = peerAddresses();
  const server = createServer((req, res) => {
    const refused = refuseMethod(req.method);
    if (refused) {
      res.writeHead(refused.status, refused.headers).end(refused.body);
      return;
    }
    peers.run(req.socket.remoteAddress ?? "", () => {
      handle(req, res).catch((err: unknown) => {
        console.error("touchline: request failed", err instanceof Error ? err.message : String(err));
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "internal", message: "Something went wrong on our side." } }));
      });
    });
  });
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.listen(port, hostname, () => console.log(`touchline: listening on http://${hostname ?? "0.0.0.0"}:${port}`));
  const stop = () => {
    server.close(() => process.exit(0));
    // Browsers' idle keep-alive connections would otherwise hold close() open until they time out.
    server.closeIdleConnections();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((err) => {
  console.error(`touchline: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
