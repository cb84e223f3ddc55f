import type { Metadata } from "next";
import "./globals.css";

// Every page is rendered per request: its scripts carry the request's CSP nonce (proxy.ts), which a
// page built ahead of time could not know — under the nonce policy its scripts would not run.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Touchline", template: "%s · Touchline" },
  description: "When an API gets slow, tell the on-call engineer who touched it first.",
  icons: { icon: "/favicon.svg" },
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="font-sans">{children}</body>
    </html>
  );
}
