import { ValidationFailedError } from './errors.js'

/** The row id inside a decoded global ID, checked against the expected type. */
export function decodeId(globalId: { typename: string; id: string }, typename: string, path = 'id'): string {
  if (globalId.typename !== typename) {
    throw new ValidationFailedError([{ path, message: `expected a ${typename} ID, got a ${globalId.typename} ID` }])
  }
  return globalId.id
}

/** The global ID Pothos' relay plugin gives a row (base64 of `Type:id`). */
export const encodeId = (typename: string, id: string) => Buffer.from(`${typename}:${id}`).toString('base64')
