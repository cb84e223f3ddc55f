import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import Provider from "oidc-provider";
import { z } from "zod";
import { createAdminHandler, isAdminPath } from "./admin";
import { createInteractionHandler, isInteractionPath } from "./interactions";
import { generateCookieKeys, generateSigningJwk } from "./keys";
import { buildProviderConfiguration, relyingPartyOrigins, type OidcClientRegistration } from "./provider-config";
import { createUserDirectory, type DemoUserSeed } from "./users";

export type { OidcClientRegistration } from "./provider-config";
export type { DemoUserSeed } from "./users";

export type StartOidcProviderOptions = {
  /** 0 picks a free port. */
  port: number;
  /** Defaults to http://localhost:<port>. Must be a bare origin: the provider is mounted at the root. */
  issuer?: string;
  clients: OidcClientRegistration[];
  /** Defaults to the three seeded Acme accounts. */
  users?: DemoUserSeed[];
};

export type RunningOidcProvider = {
  issuer: string;
  /** Where the server actually listens (http://localhost:<port>), whatever the issuer says. */
  url: string;
  /** The address it is bound to (the loopback interface). */
  boundAddress: string;
  close(): Promise<void>;
};

// The demo IdP signs anyone in with the demo password: it listens on the loopback interface only,
// never on the machine's other addresses.
export const LOOPBACK = "127.0.0.1";

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, LOOPBACK, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function assertBareOrigin(issuer: string): void {
  const url = new URL(issuer);
  if (url.origin !== issuer.replace(/\/$/, "")) {
    throw new Error(`OIDC issuer must be a bare origin like http://localhost:3100 (got ${issuer})`);
  }
}

/**
 * Starts the local demo OIDC provider (authorization code + PKCE, RS256 ID tokens carrying email, name
 * and groups, refresh tokens, userinfo, a login page for the seeded users, RP-initiated logout, and
 * `PUT /_sim/users/{email}/groups` to change a user's groups while it runs). State lives in memory.
 */
export async function startOidcProvider(opts: StartOidcProviderOptions): Promise<RunningOidcProvider> {
  const server = createServer();
  const port = await listen(server, opts.port);
  try {
    const issuer = (opts.issuer ?? `http://localhost:${port}`).replace(/\/$/, "");
    assertBareOrigin(issuer);
    const users = createUserDirectory(opts.users);
    const provider = new Provider(
      issuer,
      buildProviderConfiguration({
        clients: opts.clients,
        signingKey: generateSigningJwk(),
        cookieKeys: generateCookieKeys(),
        users,
      }),
    );
    provider.on("server_error", (_ctx, err) => console.error("oidc provider server_error:", err));

    const handleProviderRoute = provider.callback();
    const handleInteraction = createInteractionHandler(provider, { formActionOrigins: relyingPartyOrigins(opts.clients), users });
    const handleAdmin = createAdminHandler({ clients: opts.clients, users });
    server.on("request", (req, res) => {
      const pathname = new URL(req.url ?? "/", "http://placeholder").pathname;
      const own = isAdminPath(pathname) ? handleAdmin : isInteractionPath(pathname) ? handleInteraction : null;
      if (!own) return void handleProviderRoute(req, res);
      own(req, res, pathname).catch((err: unknown) => {
        console.error("oidc provider interaction error:", err);
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
        res.end("internal error");
      });
    });

    return {
      issuer,
      url: `http://localhost:${port}`,
      boundAddress: (server.address() as AddressInfo).address,
      close: () => closeServer(server),
    };
  } catch (err) {
    await closeServer(server);
    throw err;
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    // Keep-alive sockets from browsers and fetch would otherwise hold close() open.
    server.closeAllConnections();
  });
}

const uriList = z
  .string()
  .transform((value) => value.split(",").map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.url()));

const cliEnv = z.object({
  OIDC_SIM_PORT: z.coerce.number().int().min(0).max(65535).default(3100),
  OIDC_SIM_ISSUER: z.url().optional(),
  OIDC_SIM_CLIENT_ID: z.string().min(1),
  OIDC_SIM_CLIENT_SECRET: z.string().min(1),
  OIDC_SIM_REDIRECT_URIS: uriList.refine((uris) => uris.length > 0, "needs at least one URI"),
  OIDC_SIM_POST_LOGOUT_REDIRECT_URIS: uriList.optional(),
});

async function main(): Promise<void> {
  const parsed = cliEnv.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`).join("\n");
    console.error(`oidc provider: invalid environment\n${problems}`);
    process.exit(1);
  }
  const env = parsed.data;
  const running = await startOidcProvider({
    port: env.OIDC_SIM_PORT,
    issuer: env.OIDC_SIM_ISSUER,
    clients: [
      {
        clientId: env.OIDC_SIM_CLIENT_ID,
        clientSecret: env.OIDC_SIM_CLIENT_SECRET,
        clientName: "Touchline",
        redirectUris: env.OIDC_SIM_REDIRECT_URIS,
        postLogoutRedirectUris: env.OIDC_SIM_POST_LOGOUT_REDIRECT_URIS,
      },
    ],
  });
  console.log(`oidc provider listening on ${running.url} (issuer ${running.issuer})`);
  const stop = () => void running.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error("oidc provider failed to start:", err);
    process.exit(1);
  });
}
