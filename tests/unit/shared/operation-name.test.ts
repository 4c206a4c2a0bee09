// The operation name of the request log and the metrics, read from the text as clients write it.
import { describe, expect, it } from 'vitest'
import { operationNameOf } from '../../../src/shared/operation-name.js'

describe('operationNameOf', () => {
  it.each([
    ['query Dashboard($n: Int!) { cases(first: $n) { totalCount } }', 'Dashboard'],
    ['mutation ReportCase($input: ReportCaseInput!) { reportCase(input: $input) { __typename } }', 'ReportCase'],
    ['subscription OnOrders { dispatchOrderCreated { order { id } } }', 'OnOrders'],
    ['{ me { id } }', 'query me'],
    ['query { me { id } }', 'query me'],
    ['mutation { acceptCase(input: {}) { __typename } }', 'mutation acceptCase'],
    ['{\n  me {\n    id\n  }\n}', 'query me'],
    ['{ who: me { id } }', 'query who'],
  ])('should name %j %j', (text, name) => {
    expect(operationNameOf(text)).toBe(name)
  })

  it('should pass over what GraphQL ignores before the operation and its first field', () => {
    expect(operationNameOf('\uFEFF# the dashboard\n# of a street\n  query Street { regions { id } }')).toBe('Street')
    expect(operationNameOf('{ # who asks\n  me { id } }')).toBe('query me')
    expect(operationNameOf(',\n{ me { id } }')).toBe('query me')
  })

  it('should give up at once on a text made to make the pattern backtrack', () => {
    // each of these took seconds to minutes with a pattern whose blanks and comments split many ways
    for (const text of [`{${' '.repeat(400)}}`, `{${' #'.repeat(200)}}`, `{${'#'.repeat(300)}\n}`])
      expect(operationNameOf(text)).toBeUndefined()
  })

  it('should name nothing for a text that does not start with an operation', () => {
    expect(operationNameOf(undefined)).toBeUndefined()
    expect(operationNameOf('')).toBeUndefined()
    expect(operationNameOf('fragment F on User { id } query Q { me { ...F } }')).toBeUndefined()
    expect(operationNameOf('not graphql')).toBeUndefined()
  })
})
