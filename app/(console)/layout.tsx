import Link from "next/link";
import { headers } from "next/headers";
import { Logo } from "@/components/logo";
import { NavLinks } from "@/components/nav-links";
import { UserMenu } from "@/components/user-menu";
import { Providers } from "@/components/providers";
import { requireUser } from "@/lib/auth/session";
import { postSignOutUrl } from "@/lib/auth/idp-logout";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  // proxy.ts already redirects anonymous visitors; this is the second lock on the door.
  const path = (await headers()).get("x-touchline-path") ?? "/endpoints";
  const user = await requireUser(path);
  const signOutUrl = await postSignOutUrl();
  return (
    <Providers>
      <div className="flex min-h-full">
        <aside className="sticky top-0 flex h-screen w-60 shrink-0 flex-col gap-6 border-r border-slate-200 bg-white px-3 py-5 dark:border-slate-800 dark:bg-slate-900">
          <Link href="/endpoints" className="px-2">
            <Logo />
          </Link>
          <NavLinks />
          <div className="mt-auto">
            <UserMenu name={user.name ?? user.email ?? "Signed in"} email={user.email} role={user.role} signOutUrl={signOutUrl} />
          </div>
        </aside>
        <main className="min-w-0 flex-1 px-8 py-7">{children}</main>
      </div>
    </Providers>
  );
}
