import { describe, expect, it } from 'vitest'
import { createLogger } from '../../../src/logger.js'
import { periodicJob } from '../../../src/shared/periodic.js'

const log = createLogger('silent')

/** A run that stays in flight until released. */
function gatedRun() {
  let calls = 0
  let release: () => void = () => {}
  const run = () => {
    calls++
    return new Promise<void>((r) => {
      release = r
    })
  }
  return { run, calls: () => calls, release: () => release() }
}

describe('periodicJob', () => {
  it('should run once at start and wait for the run in flight on stop', async () => {
    const g = gatedRun()
    const job = periodicJob('test job', g.run, { intervalMs: 100_000, log })
    job.start()
    expect(g.calls()).toBe(1)
    let stopped = false
    const stopping = job.stop().then(() => {
      stopped = true
    })
    await Promise.resolve()
    expect(stopped).toBe(false)
    g.release()
    await stopping
    expect(stopped).toBe(true)
  })

  it('should do nothing with an interval of 0', async () => {
    const g = gatedRun()
    const job = periodicJob('off', g.run, { intervalMs: 0, log })
    job.start()
    await job.stop()
    expect(g.calls()).toBe(0)
  })

  it('should log a failing run instead of throwing', async () => {
    const job = periodicJob('failing', () => Promise.reject(new Error('boom')), { intervalMs: 100_000, log })
    job.start()
    await expect(job.stop()).resolves.toBeUndefined()
  })
})
