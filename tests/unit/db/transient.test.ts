import { describe, expect, it } from 'vitest'
import { Prisma } from '../../../src/generated/prisma/client.js'
import { isTransientDbError } from '../../../src/db/transient.js'

const known = (code: string, cause?: Record<string, unknown>) =>
  new Prisma.PrismaClientKnownRequestError('x', {
    code,
    clientVersion: '7',
    meta: cause ? { driverAdapterError: { cause } } : undefined,
  })

describe('isTransientDbError', () => {
  it.each([
    ['unreachable (P1001)', known('P1001', { kind: 'DatabaseNotReachable' })],
    ['raw query while unreachable (P2010 + adapter kind)', known('P2010', { kind: 'DatabaseNotReachable' })],
    ['connection closed', known('P2010', { kind: 'ConnectionClosed' })],
    ['too many connections', known('P2010', { kind: 'TooManyConnections' })],
    ['admin shutdown 57P01', known('P2010', { kind: 'postgres', originalCode: '57P01' })],
    ['starting up 57P03', Object.assign(new Error('the database system is starting up'), { code: '57P03' })],
    ['pool timeout P2024', known('P2024')],
    ['pg: connection terminated', new Error('Connection terminated unexpectedly')],
    ['DNS not yet resolvable', Object.assign(new Error('getaddrinfo ENOTFOUND db'), { code: 'ENOTFOUND' })],
    ['wrapped as a cause', new Error('outer', { cause: known('P1001') })],
  ])('should call %s transient', (_name, e) => {
    expect(isTransientDbError(e)).toBe(true)
  })

  it.each([
    ['a unique violation', known('P2002')],
    ['a missing table', known('P2021', { kind: 'TableDoesNotExist' })],
    ['a wrong password', known('P2010', { kind: 'AuthenticationFailed' })],
    ['a syntax error', Object.assign(new Error('syntax error at or near'), { code: '42601' })],
    ['a plain bug', new TypeError('cannot read properties of undefined')],
    ['nothing', undefined],
  ])('should not call %s transient', (_name, e) => {
    expect(isTransientDbError(e)).toBe(false)
  })
})
