// Exponential backoff with full jitter, for work that waits out a transient failure.

export interface Backoff {
  baseMs: number
  maxMs: number
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 100, maxMs: 5_000 }

/** The wait before retry number `attempt` (1, 2, …): uniform in [cap/2, cap], cap = min(max, base·2^(attempt−1)). */
export function backoffDelay(attempt: number, b: Backoff = DEFAULT_BACKOFF, random = Math.random): number {
  const cap = Math.min(b.maxMs, b.baseMs * 2 ** Math.min(attempt - 1, 30))
  return Math.round(cap / 2 + random() * (cap / 2))
}

/**
 * Resolves after `ms`, or at once when `signal` aborts (the caller checks the signal). A wait already
 * over (`ms` ≤ 0, a deadline passed while working) ends on the next turn, without Node 24's warning.
 */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const timer = setTimeout(done, Math.max(0, ms))
    signal?.addEventListener('abort', done, { once: true })
    function done() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
  })
}
