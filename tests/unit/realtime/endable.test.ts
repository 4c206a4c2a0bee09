// An SSE subscription as a session the guard can end (src/realtime/sessions.ts): events pass
// through, a close ends even a quiet stream at once with one last event, and the source is returned.
import type { ExecutionResult } from 'graphql'
import { describe, expect, it } from 'vitest'
import { endable } from '../../../src/realtime/sessions.js'

/** A source that yields `events`, then waits for ever; records whether it was returned. */
function quietSource(events: ExecutionResult[]) {
  const state = { returned: false }
  const source: AsyncIterable<ExecutionResult> = {
    [Symbol.asyncIterator]: () => {
      let i = 0
      return {
        next: () =>
          i < events.length ? Promise.resolve({ value: events[i++]!, done: false }) : new Promise<never>(() => {}),
        return: async () => {
          state.returned = true
          return { value: undefined, done: true }
        },
      }
    },
  }
  return { source, state }
}

const last = (reason: string): ExecutionResult => ({ data: null, extensions: { ended: reason } })

describe('endable', () => {
  it('should pass events through, then end a quiet stream at once on close with the last event', async () => {
    const { source, state } = quietSource([{ data: { n: 1 } }, { data: { n: 2 } }])
    const ending = endable(source, last)
    const hooks = { started: 0, ended: 0 }
    const stream = ending.stream({ start: () => hooks.started++, end: () => hooks.ended++ })
    expect(await stream.next()).toEqual({ value: { data: { n: 1 } }, done: false })
    expect(await stream.next()).toEqual({ value: { data: { n: 2 } }, done: false })
    const waiting = stream.next()
    ending.session.close(4403, 'Account deactivated')
    expect(await waiting).toEqual({ value: last('Account deactivated'), done: false })
    expect(await stream.next()).toEqual({ value: undefined, done: true })
    expect(hooks).toEqual({ started: 1, ended: 1 })
    expect(state.returned).toBe(true)
  })

  it('should end with the last event when closed as it is first watched (a token already expired)', async () => {
    const { source } = quietSource([{ data: { n: 1 } }])
    const ending = endable(source, last)
    const hooks = { started: 0, ended: 0 }
    const stream = ending.stream({
      start: () => {
        hooks.started++
        ending.session.close(4403, 'Token expired')
      },
      end: () => hooks.ended++,
    })
    expect(await stream.next()).toEqual({ value: last('Token expired'), done: false })
    expect((await stream.next()).done).toBe(true)
    expect(hooks).toEqual({ started: 1, ended: 1 })
  })

  it('should end a quiet stream at once when the client goes away while a read waits', async () => {
    const { source, state } = quietSource([{ data: { n: 1 } }])
    const hooks = { started: 0, ended: 0 }
    const stream = endable(source, last).stream({ start: () => hooks.started++, end: () => hooks.ended++ })
    await stream.next()
    const waiting = stream.next()
    await stream.return!(undefined)
    expect(await waiting).toEqual({ value: undefined, done: true })
    expect(hooks).toEqual({ started: 1, ended: 1 })
    expect(state.returned).toBe(true)
  })

  it('should let the session go at once when it is closed with no read waiting, and keep the last event for the next read', async () => {
    const { source, state } = quietSource([{ data: { n: 1 } }])
    const ending = endable(source, last)
    const hooks = { started: 0, ended: 0 }
    const stream = ending.stream({ start: () => hooks.started++, end: () => hooks.ended++ })
    await stream.next()
    ending.session.close(4403, 'Account changed; reconnect')
    expect(hooks).toEqual({ started: 1, ended: 1 })
    await Promise.resolve()
    expect(state.returned).toBe(true)
    expect(await stream.next()).toEqual({ value: last('Account changed; reconnect'), done: false })
    expect((await stream.next()).done).toBe(true)
  })

  it('should pass a failed read of the source on to the client, and let the session go', async () => {
    const failure = new Error('database away too long')
    const source: AsyncIterable<ExecutionResult> = {
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(failure) }),
    }
    const hooks = { started: 0, ended: 0 }
    const stream = endable(source, last).stream({ start: () => hooks.started++, end: () => hooks.ended++ })
    await expect(stream.next()).rejects.toBe(failure)
    expect(hooks).toEqual({ started: 1, ended: 1 })
    expect((await stream.next()).done).toBe(true)
  })

  it('should serve reads one at a time', async () => {
    const { source } = quietSource([{ data: { n: 1 } }, { data: { n: 2 } }])
    const stream = endable(source, last).stream({ start: () => {}, end: () => {} })
    const [a, b] = await Promise.all([stream.next(), stream.next()])
    expect([a.value, b.value]).toEqual([{ data: { n: 1 } }, { data: { n: 2 } }])
  })

  it('should stop watching when the client goes away', async () => {
    const { source, state } = quietSource([{ data: { n: 1 } }])
    const hooks = { ended: 0 }
    const stream = endable(source, last).stream({ start: () => {}, end: () => hooks.ended++ })
    await stream.next()
    await stream.return!(undefined)
    expect(hooks.ended).toBe(1)
    expect(state.returned).toBe(true)
  })
})
