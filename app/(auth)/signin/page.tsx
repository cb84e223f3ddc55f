import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Logo } from "@/components/logo";
import { SignInButton } from "@/components/sign-in-button";
import { currentUser } from "@/lib/auth/session";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Sign in" };

const ERRORS: Record<string, string> = {
  NoRole: "Your account signed in, but none of your groups is allowed into Touchline. Ask an admin to add you to a mapped group.",
  OAuthCallback: "The identity provider's answer could not be verified. Try again.",
  OAuthSignin: "Could not start sign-in with the identity provider. Is it reachable?",
  SessionRequired: "Sign in to continue.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl, env().NEXTAUTH_URL);
  if (await currentUser()) redirect(callbackUrl);
  const errorKey = typeof params.error === "string" ? params.error : undefined;
  const error = errorKey ? (ERRORS[errorKey] ?? "Sign-in failed. Try again.") : undefined;
  const signedOut = params.signedOut === "1";
  return (
    <main className="flex min-h-full items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-2xl border border-slate-200 bg-white p-8 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <Logo className="text-xl" />
        <h1 className="mt-6 text-lg font-semibold">Sign in to Touchline</h1>
        <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">
          When an API gets slow, see who touched it first. Use your company account.
        </p>
        {signedOut && !error && (
          <p role="status" className="mt-4 rounded-md bg-slate-100 px-3 py-2 text-sm dark:bg-slate-800">You are signed out.</p>
        )}
        {error && (
          <p role="alert" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">{error}</p>
        )}
        <SignInButton callbackUrl={callbackUrl} providerName={env().OIDC_DISPLAY_NAME} />
      </div>
    </main>
  );
}
