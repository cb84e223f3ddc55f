export function Logo({ className = "" }: { className?: string }) {
  return (
    <span className={`inline-flex items-center gap-2 font-semibold tracking-tight ${className}`}>
      <svg viewBox="0 0 32 32" className="h-7 w-7" aria-hidden="true">
        <rect width="32" height="32" rx="7" fill="#1f58d6" />
        <path d="M6 22 L12 14 L17 18 L26 8" stroke="#fff" strokeWidth="3" fill="none" strokeLinecap="round" strokeLinejoin="round" />
        <circle cx="26" cy="8" r="2.5" fill="#fbbf24" />
      </svg>
      Touchline
    </span>
  );
}
