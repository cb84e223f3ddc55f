/**
 * Sliding-window limiter per subject (e.g. a user id): at most `limit` hits in any `windowMs`.
 * In memory, per server process — enough to stop one browser tab hammering the Dashboard.
 */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a hit and says whether it is allowed; when not, how long until the oldest hit leaves the window. */
  take(subject: string): { allowed: boolean; retryAfterMs: number } {
    const t = this.now();
    const recent = (this.hits.get(subject) ?? []).filter((h) => h > t - this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(subject, recent);
      return { allowed: false, retryAfterMs: recent[0] + this.windowMs - t };
    }
    recent.push(t);
    this.hits.set(subject, recent);
    // Forget idle subjects so the map does not grow without bound.
    if (this.hits.size > 10_000) for (const [k, v] of this.hits) if (!v.some((h) => h > t - this.windowMs)) this.hits.delete(k);
    return { allowed: true, retryAfterMs: 0 };
  }
}
