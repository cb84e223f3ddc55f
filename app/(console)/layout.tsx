import { headers } from "next/headers";
import { UserMenu } from "@/components/user-menu";
import { Providers } from "@/components/providers";
import { ConsoleShell } from "@/components/shell/console-shell";
import { SearchBox } from "@/components/shell/search-box";
import { requireUser } from "@/lib/auth/session";
import { postSignOutUrl } from "@/lib/auth/idp-logout";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  // proxy.ts already redirects anonymous visitors; this is the second lock on the door.
  const path = (await headers()).get("x-touchline-path") ?? "/endpoints";
  const user = await requireUser(path);
  const signOutUrl = await postSignOutUrl();
  return (
    <Providers>
      <ConsoleShell
        role={user.role}
        search={<SearchBox />}
        account={<UserMenu name={user.name ?? user.email ?? "Signed in"} email={user.email} role={user.role} signOutUrl={signOutUrl} />}
      >
        {children}
      </ConsoleShell>
    </Providers>
  );
}
