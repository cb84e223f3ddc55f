import type { Metadata } from "next";
import "./globals.css";

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
