// The cost of a query as the rows it may read: every object a query selects counts once for each
// row of its parent, and a page (`first`/`last`, from the query text or its variables; the
// default page size when absent) multiplies the rows below it. A plain list of unknown length
// counts as LIST_ROWS rows. A dashboard of 20 grids with their 10 newest cases costs ~700; a
// query nesting three pages of 100 costs a million and is refused before it runs.
//
// It replaces graphql-armor's cost estimate, which grows by 1.5× per level of nesting (so a relay
// connection, two levels deep, costs 2.25× per list whatever its size) and reads page sizes from
// literals only, so that a page size passed as a variable was free.
import {
  GraphQLError,
  getNamedType,
  getNullableType,
  isAbstractType,
  isCompositeType,
  isListType,
  Kind,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql'
import type { Plugin } from 'graphql-yoga'
import { literalValue } from './page-size.js'

/** Rows assumed for a list field that takes no page size (a case's orders, its timeline). */
export const LIST_ROWS = 10

interface Options {
  defaultPageSize: number
}

/** The estimated rows an operation reads (see the file's comment). */
export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  operationName: string | null | undefined,
  options: Options,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>()
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d)
  const operation = document.definitions.find(
    (d) => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  )
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return 0
  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType()
  if (!root) return 0

  /** `page`: the page size of the connection this selection set belongs to, for its list fields. */
  const walk = (
    type: GraphQLCompositeType,
    set: SelectionSetNode,
    rows: number,
    page: number | null,
    seen: Set<string>,
  ): number => {
    let cost = 0
    for (const sel of set.selections) {
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const t = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : type
        if (t && isCompositeType(t)) cost += walk(t, sel.selectionSet, rows, page, seen)
        continue
      }
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const f = fragments.get(sel.name.value)
        if (!f || seen.has(f.name.value)) continue
        const t = schema.getType(f.typeCondition.name.value)
        if (t && isCompositeType(t)) cost += walk(t, f.selectionSet, rows, page, new Set([...seen, f.name.value]))
        continue
      }
      if (!sel.selectionSet || sel.name.value.startsWith('__')) continue
      const fields = isAbstractType(type) ? null : (type as GraphQLObjectType).getFields()
      const def =
        fields?.[sel.name.value] ??
        (isAbstractType(type)
          ? schema
              .getPossibleTypes(type)
              .map((p) => p.getFields()[sel.name.value])
              .find(Boolean)
          : undefined)
      if (!def) continue
      const pageArg = sel.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'last')
      const takesPage = def.args.some((a) => a.name === 'first')
      const given = pageArg ? literalValue(pageArg.value, variables) : undefined
      const ownPage = takesPage ? (typeof given === 'number' ? given : options.defaultPageSize) : null
      const here = isListType(getNullableType(def.type)) ? rows * (page ?? LIST_ROWS) : rows
      const target = getNamedType(def.type)
      cost += here
      if (isCompositeType(target)) cost += walk(target, sel.selectionSet, here, ownPage, seen)
    }
    return cost
  }
  return walk(root, operation.selectionSet, 1, null, new Set())
}

/** Refuses, before it runs, an operation whose cost is above `max`. */
export function useQueryCost(max: number, options: Options): Plugin {
  const check = ({
    args,
    setResultAndStopExecution,
  }: {
    args: ExecutionArgs
    setResultAndStopExecution(r: ExecutionResult): void
  }) => {
    const cost = queryCost(
      args.schema,
      args.document,
      (args.variableValues ?? {}) as Record<string, unknown>,
      args.operationName,
      options,
    )
    if (cost > max) {
      setResultAndStopExecution({
        errors: [
          new GraphQLError(
            `Query cost ${cost} is above the limit of ${max}: it may read that many rows (smaller pages or fewer nested lists) (查询代价超限)`,
            { extensions: { code: 'common/query-cost', cost, limit: max } },
          ),
        ],
      })
    }
  }
  return { onExecute: check, onSubscribe: check }
}
