import { ValidationFailedError } from './errors.js'

/** Every row key is a UUID (uuid(7)). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Decodes every global ID the API receives (arguments, inputs, `node`): base64 of `Type:uuid`.
 * Every row key is a UUID, so anything else is bad input — a typed ValidationFailed, never a
 * database error about a malformed uuid.
 */
export function parseGlobalId(globalId: string): { typename: string; id: string } {
  const decoded = Buffer.from(globalId, 'base64').toString()
  const sep = decoded.indexOf(':')
  const id = decoded.slice(sep + 1)
  if (sep <= 0 || !UUID.test(id))
    throw new ValidationFailedError([{ path: 'id', message: `not a valid global ID: ${globalId.slice(0, 60)}` }])
  return { typename: decoded.slice(0, sep), id }
}

/** The row id inside a decoded global ID, checked against the expected type. */
export function decodeId(globalId: { typename: string; id: string }, typename: string, path = 'id'): string {
  if (globalId.typename !== typename) {
    throw new ValidationFailedError([{ path, message: `expected a ${typename} ID, got a ${globalId.typename} ID` }])
  }
  return globalId.id
}
