// The backoff's waits: their bounds, and a pause whose deadline has already passed.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { backoffDelay, pause } from '../../../src/shared/backoff.js'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('backoffDelay', () => {
  it('should double from the base up to the cap, jittered within the upper half', () => {
    const b = { baseMs: 100, maxMs: 1000 }
    expect([1, 2, 3, 4, 5, 30].map((n) => backoffDelay(n, b, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000])
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, b, () => 0))).toEqual([50, 100, 200, 400, 500])
  })
})

describe('pause', () => {
  it('should end a wait whose deadline has passed on the next turn, asking the timer for no negative delay', async () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout')
    await pause(-102)
    expect(setTimeoutSpy.mock.calls.map(([, ms]) => ms)).toEqual([0])
  })

  it('should end at once when its signal aborts', async () => {
    const abort = new AbortController()
    const waited = pause(60_000, abort.signal)
    abort.abort()
    await expect(waited).resolves.toBeUndefined()
  })
})
