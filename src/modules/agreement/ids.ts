// Global IDs decoded to row ids for the agreement module. Every key here is a UUID: an ID of the
// right type whose inner id is no UUID is bad input (ValidationFailed), not a database error.
import { ValidationFailedError } from '../../shared/errors.js'
import { decodeId } from '../../shared/relay.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The row id inside a global ID of `typename`, checked to be a UUID. */
export function rowId(globalId: { typename: string; id: string }, typename: string, path = 'id'): string {
  const id = decodeId(globalId, typename, path)
  if (!UUID.test(id)) throw new ValidationFailedError([{ path, message: `not a valid ${typename} ID` }])
  return id
}
