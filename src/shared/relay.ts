import { ValidationFailedError } from './errors.js'

/** The row id inside a decoded global ID, checked against the expected type. */
export function decodeId(globalId: { typename: string; id: string }, typename: string, path = 'id'): string {
  if (globalId.typename !== typename) {
    throw new ValidationFailedError([{ path, message: `expected a ${typename} ID, got a ${globalId.typename} ID` }])
  }
  return globalId.id
}
