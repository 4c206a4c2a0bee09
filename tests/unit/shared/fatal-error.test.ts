// What a process prints for the failure that ends it (src/shared/fatal-error.ts).
import { describe, expect, it } from 'vitest'
import { describeFailure, errorMessage, FatalError } from '../../../src/shared/fatal-error.js'

describe('describeFailure', () => {
  it("should print a FatalError's message as it is, without a stack, verbose or not", () => {
    const e = new FatalError('PORT: 99999 is not a port number')
    expect(describeFailure(e, 'Gongzhi did not start')).toBe('PORT: 99999 is not a port number')
    expect(describeFailure(e, 'Gongzhi did not start', true)).toBe('PORT: 99999 is not a port number')
  })

  it("should add a FatalError's cause only when verbose", () => {
    const e = new FatalError('cannot use the database localhost:5432/gongzhi: password authentication failed', {
      cause: new Error('password authentication failed for user "gongzhi"'),
    })
    expect(describeFailure(e, 'Gongzhi did not start')).toBe(e.message)
    const out = describeFailure(e, 'Gongzhi did not start', true).split('\n')
    expect(out[0]).toBe(e.message)
    expect(out[1]).toBe('Error: password authentication failed for user "gongzhi"')
  })

  it('should print an unexpected error on one line with its context, and say how to see the stack', () => {
    const e = new Error('boom\nsecond line')
    expect(describeFailure(e, 'Failed')).toBe('Failed: boom (LOG_LEVEL=debug shows the stack)')
  })

  it('should print the stack and every cause when verbose', () => {
    const root = new Error('connect ECONNREFUSED 127.0.0.1:5432')
    const e = new Error('cannot seed', { cause: root })
    const out = describeFailure(e, 'Failed', true).split('\n')
    expect(out[0]).toBe('Failed: cannot seed')
    expect(out).toContain('Error: cannot seed')
    expect(out).toContain('Caused by: Error: connect ECONNREFUSED 127.0.0.1:5432')
  })

  it('should join the errors of an AggregateError that has no message of its own', () => {
    const e = new AggregateError([
      new Error('connect ECONNREFUSED ::1:5432'),
      new Error('connect ECONNREFUSED 127.0.0.1:5432'),
    ])
    expect(errorMessage(e)).toBe('connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432')
    expect(describeFailure(e, 'migrations not applied')).toMatch(
      /^migrations not applied: connect ECONNREFUSED ::1:5432; /,
    )
  })
})
