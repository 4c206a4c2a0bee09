// A global ID argument declared `globalID({ for: SomeRef })` of another type is refused by the relay
// plugin with a PothosValidationError while the arguments are mapped, before any resolver runs.
// This plugin turns it into our typed ValidationFailed, which the errors plugin (listed first, with
// `unsafelyHandleInputErrors`) then answers as the mutation's union member, like any other bad input.
import SchemaBuilder, { BasePlugin, PothosValidationError, type SchemaTypes } from '@pothos/core'
import type { GraphQLFieldResolver } from 'graphql'
import { ValidationFailedError } from './errors.js'

const ID_OF_WRONG_TYPE = /^ID: (.*) is not of type: (.*)$/

export const toValidationFailed = (error: unknown): unknown => {
  const m = error instanceof PothosValidationError ? ID_OF_WRONG_TYPE.exec(error.message) : null
  return m ? new ValidationFailedError([{ path: 'id', message: `expected a ${m[2]} ID, got ${m[1]!.slice(0, 60)}` }]) : error
}

class GlobalIdErrorsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapArgMappers(resolver: GraphQLFieldResolver<unknown, Types['Context']> | undefined) {
    if (!resolver) return resolver
    return async (...args: Parameters<GraphQLFieldResolver<unknown, Types['Context']>>) => {
      try {
        return await resolver(...args)
      } catch (error) {
        throw toValidationFailed(error)
      }
    }
  }
}

const pluginName = 'globalIdErrors'
declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      globalIdErrors: GlobalIdErrorsPlugin<Types>
    }
  }
}
SchemaBuilder.registerPlugin(pluginName, GlobalIdErrorsPlugin)
export default pluginName
