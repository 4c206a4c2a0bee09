// Operation documents generated from the executable schema, for the authorization table test
// (tests/e2e/server/authorization-table.test.ts): one document per root field, its required
// arguments filled with syntactically valid values and a minimal selection.
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql'

export type OperationKind = 'query' | 'mutation' | 'subscription'

/** Chooses the global ID sent for an ID argument, given the object type it names (null when unknown). */
export type IdChooser = (type: string | null) => string

export interface GeneratedOperation {
  field: string
  document: string
  variables: Record<string, unknown>
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1)

export const isNodeType = (type: GraphQLNamedType): boolean =>
  isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node')

/** A Relay connection: an object with `edges { node }`. */
export function connectionNodeType(type: GraphQLOutputType): GraphQLNamedType | null {
  const named = getNamedType(type)
  if (!isObjectType(named) || !named.name.endsWith('Connection')) return null
  const edges = named.getFields().edges
  if (!edges) return null
  const edge = getNamedType(edges.type)
  if (!isObjectType(edge) || !edge.getFields().node) return null
  return getNamedType(edge.getFields().node!.type)
}

/** The Node types of the schema, by name. */
export const nodeTypeNames = (schema: GraphQLSchema): string[] =>
  Object.values(schema.getTypeMap())
    .filter(isNodeType)
    .map((t) => t.name)
    .sort()

// ---------------------------------------------------------------- which type an ID names

/** `…Id` fields and arguments whose name does not spell the type. */
const ID_FIELD_TYPES: Record<string, string> = {
  userId: 'User',
  toUserId: 'User',
  wisherId: 'User',
  leaderId: 'User',
  onBehalfOfId: 'User',
  assigneeId: 'User',
  communityId: 'Region',
  regionId: 'Region',
  parentId: 'Region',
  within: 'Region',
  under: 'PartyOrg',
  unitId: 'ResidentUnit',
  workUnitId: 'ResidentUnit',
  claimedByUnitId: 'ResidentUnit',
  memberId: 'PartyMember',
  orgId: 'PartyOrg',
  partyOrgId: 'PartyOrg',
  unitOrgId: 'PartyOrg',
  toOrgId: 'PartyOrg',
  branchId: 'PartyOrg',
  needId: 'NeedItem',
  resourceId: 'ResourceItem',
  resourceIds: 'ResourceItem',
  needClaimId: 'NeedClaim',
  teamId: 'VolunteerTeam',
  activityId: 'VolunteerActivity',
  agreementId: 'JointAgreement',
  agreementItemId: 'AgreementItem',
  milestoneId: 'ProjectMilestone',
  reportId: 'DualReport',
  commitmentId: 'Commitment',
  categoryId: 'CaseCategory',
  homeBuildingId: 'Building',
  homeGridId: 'Grid',
  nearGridId: 'Grid',
  caseId: 'Case',
  departmentId: 'Department',
  leadDepartmentId: 'Department',
  assistDepartmentIds: 'Department',
}

/** `id` / `itemId` fields: the noun of their description ("The case (案件)."). */
const DESCRIPTION_NOUNS: Record<string, string | string[]> = {
  case: 'Case',
  agreement: 'JointAgreement',
  signup: 'ActivitySignup',
  project: 'Project',
  report: 'DualReport',
  pledge: 'Commitment',
  order: 'DispatchOrder',
  wish: 'MicroWish',
  redemption: 'Redemption',
  activity: 'VolunteerActivity',
  approval: 'CaseApproval',
  assignment: 'GridAssignment',
  building: 'Building',
  duty: 'GridDuty',
  grid: 'Grid',
  member: 'PartyMember',
  organisation: 'PartyOrg',
  region: 'Region',
  team: 'VolunteerTeam',
  need: 'NeedItem',
  resource: 'ResourceItem',
  claim: ['NeedClaim', 'ResourceClaim'],
  item: ['AgreementItem', 'RewardItem', 'ServiceItem'],
}

/**
 * The object type an ID field or argument names: from its name (`gridId` → Grid), else from the noun
 * of its description, disambiguated by the operation and input names; null when nothing tells.
 */
export function idTypeOf(
  name: string,
  description: string | null | undefined,
  context: string[],
  nodeTypes: string[],
): string | null {
  const bare = name.replace(/Ids?$/, '')
  if (ID_FIELD_TYPES[name]) return ID_FIELD_TYPES[name]!
  if (name !== 'id' && name !== 'ids') {
    const exact = nodeTypes.find((t) => lowerFirst(t) === bare)
    if (exact) return exact
  }
  const words = (description ?? '')
    .toLowerCase()
    .replace(/\(.*$/, '')
    .replace(/[^a-z ]/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
  const joined = context.join(' ').toLowerCase()
  for (const w of [...words].reverse()) {
    const hit = DESCRIPTION_NOUNS[w]
    if (!hit) continue
    if (typeof hit === 'string') return hit
    // several types share the noun: the one whose name (or its first word) the operation/input names
    const byName =
      hit.find((t) => joined.includes(t.toLowerCase())) ??
      hit.find((t) => joined.includes(t.replace(/[A-Z][a-z]+$/, '').toLowerCase()))
    if (byName) return byName
  }
  // the longest Node type the operation or input names
  const named = nodeTypes.filter((t) => joined.includes(t.toLowerCase())).sort((a, b) => b.length - a.length)
  return named[0] ?? null
}

// ---------------------------------------------------------------- values

const SQUARE = {
  type: 'Polygon',
  coordinates: [
    [
      [118.7, 32.0],
      [118.701, 32.0],
      [118.701, 32.001],
      [118.7, 32.001],
      [118.7, 32.0],
    ],
  ],
}

/** A value for a required input: every required field filled, optional ones left out. */
export function valueFor(
  type: GraphQLInputType,
  name: string,
  description: string | null | undefined,
  context: string[],
  nodeTypes: string[],
  chooseId: IdChooser,
): unknown {
  if (isNonNullType(type)) return valueFor(type.ofType, name, description, context, nodeTypes, chooseId)
  if (isListType(type)) return [valueFor(type.ofType, name, description, context, nodeTypes, chooseId)]
  if (isEnumType(type)) return type.getValues()[0]!.name
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {}
    for (const f of Object.values(type.getFields()) as GraphQLInputField[]) {
      if (isNonNullType(f.type) && f.defaultValue === undefined)
        out[f.name] = valueFor(f.type, f.name, f.description, [...context, type.name], nodeTypes, chooseId)
    }
    return out
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return chooseId(idTypeOf(name, description, context, nodeTypes))
      case 'String':
        return 'x'
      case 'Int':
        return 1
      case 'Float':
        return 1
      case 'Boolean':
        return true
      case 'DateTime':
        return new Date().toISOString()
      case 'JSON':
        return {}
      case 'GeoJSONPolygon':
        return SQUARE
    }
    throw new Error(`no generated value for scalar ${type.name}`)
  }
  throw new Error(`no generated value for ${String(type)}`)
}

// ---------------------------------------------------------------- selections

/**
 * The selection: connections `{ edges { node { id } } }`, Node objects `{ id }`, unions their
 * `__typename`, `code` for the `Error` members and `id` for the Node ones, other objects their
 * `__typename` and the ids of the rows they point at (so that list items can be told apart).
 */
function selectionFor(type: GraphQLOutputType): string {
  const named = getNamedType(type)
  if (isScalarType(named) || isEnumType(named)) return ''
  if (connectionNodeType(type)) return '{ edges { node { id } } }'
  if (isNodeType(named) || (isInterfaceType(named) && named.name === 'Node')) return '{ id }'
  if (isUnionType(named)) {
    const parts = named
      .getTypes()
      .map((m) => {
        if (m.getInterfaces().some((i) => i.name === 'Error')) return ''
        if (isNodeType(m)) return `... on ${m.name} { id }`
        return ''
      })
      .filter(Boolean)
    const hasErrors = named.getTypes().some((m) => m.getInterfaces().some((i) => i.name === 'Error'))
    return `{ __typename ${hasErrors ? '... on Error { code }' : ''} ${parts.join(' ')} }`
  }
  if (isObjectType(named)) {
    const refs = (Object.values(named.getFields()) as GraphQLField<unknown, unknown>[])
      .filter(
        (f) =>
          f.args.every((a) => !isNonNullType(a.type)) &&
          !isListType(isNonNullType(f.type) ? f.type.ofType : f.type) &&
          isNodeType(getNamedType(f.type)),
      )
      .map((f) => `${f.name} { id }`)
    return `{ __typename ${refs.join(' ')} }`
  }
  return '{ __typename }'
}

/** A list or a connection: the field returns rows. */
export const returnsRows = (f: GraphQLField<unknown, unknown>): boolean => {
  const t = isNonNullType(f.type) ? f.type.ofType : f.type
  return isListType(t) || connectionNodeType(f.type) !== null
}

/**
 * The document for one root field: its required arguments as variables, `first: 100` for pages,
 * and the selection above.
 */
export function operationFor(
  kind: OperationKind,
  field: GraphQLField<unknown, unknown>,
  schema: GraphQLSchema,
  chooseId: IdChooser,
  extra: Record<string, unknown> = {},
): GeneratedOperation {
  const nodeTypes = nodeTypeNames(schema)
  const variables: Record<string, unknown> = {}
  const defs: string[] = []
  const args: string[] = []
  for (const a of field.args as GraphQLArgument[]) {
    const given = a.name in extra
    const required = isNonNullType(a.type) && a.defaultValue === undefined
    const page = a.name === 'first' && connectionNodeType(field.type) !== null
    if (!given && !required && !page) continue
    variables[a.name] = given
      ? extra[a.name]
      : page
        ? 100
        : valueFor(a.type, a.name, a.description, [field.name], nodeTypes, chooseId)
    defs.push(`$${a.name}: ${String(a.type)}`)
    args.push(`${a.name}: $${a.name}`)
  }
  const head = `${kind} Authz${field.name.charAt(0).toUpperCase()}${field.name.slice(1)}${defs.length ? `(${defs.join(', ')})` : ''}`
  const document = `${head} { ${field.name}${args.length ? `(${args.join(', ')})` : ''} ${selectionFor(field.type)} }`
  return { field: field.name, document, variables }
}

/** Every `id` in a result tree (the rows it names). */
export function idsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) idsIn(v, out)
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'id' && typeof v === 'string') out.push(v)
      else idsIn(v, out)
    }
  }
  return out
}

/** The rows of a list or connection result: node ids, or the items themselves when they have none. */
export function rowsOf(value: unknown): string[] {
  if (value && typeof value === 'object' && 'edges' in (value as object)) {
    return (value as { edges: { node: { id: string } | null }[] }).edges.map((e) => e.node?.id ?? 'null')
  }
  if (Array.isArray(value))
    return value.map((v) =>
      v && typeof v === 'object' && 'id' in v ? String((v as { id: unknown }).id) : JSON.stringify(v),
    )
  return []
}
