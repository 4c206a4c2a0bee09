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

  it('should end with the last event when closed before its first read', async () => {
    const { source } = quietSource([{ data: { n: 1 } }])
    const ending = endable(source, last)
    ending.session.close(4403, 'Token expired')
    const stream = ending.stream({ start: () => {}, end: () => {} })
    expect(await stream.next()).toEqual({ value: last('Token expired'), done: false })
    expect((await stream.next()).done).toBe(true)
  })

  it('should end a quiet stream at once when the client goes away while it waits', async () => {
    const { source, state } = quietSource([])
    const hooks = { ended: 0 }
    const stream = endable(source, last).stream({ start: () => {}, end: () => hooks.ended++ })
    const waiting = stream.next()
    await stream.return!(undefined)
    expect(await waiting).toEqual({ value: undefined, done: true })
    expect(hooks.ended).toBe(1)
    expect(state.returned).toBe(true)
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
