import type { Role } from "@/lib/auth/roles";

export function Forbidden({ role, what }: { role: Role; what: string }) {
  return (
    <div role="alert" className="rounded-2xl border border-amber-300 bg-amber-50 px-6 py-8 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
      <h1 className="text-base font-semibold">Not available to your role</h1>
      <p className="mt-1">
        {what} needs a role your account does not have (you are a <strong>{role}</strong>). Ask a Touchline admin if you need access.
      </p>
    </div>
  );
}
