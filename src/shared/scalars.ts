import { DateTimeResolver, JSONResolver } from 'graphql-scalars'
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql'
import { z } from 'zod'

export { DateTimeResolver, JSONResolver }

/** Dates the API takes: 1900-01-01 up to 2200-01-01 (exclusive); year 0 or 275760 are typos, not dates. */
const DATE_RANGE = [Date.UTC(1900, 0, 1), Date.UTC(2200, 0, 1)] as const

function inRange(date: Date): Date {
  const t = date.getTime()
  if (!(t >= DATE_RANGE[0] && t < DATE_RANGE[1])) {
    throw new GraphQLError('DateTime out of range: give a date from 1900 to 2199', {
      extensions: { code: 'common/validation-failed' },
    })
  }
  return date
}

/** Parses with graphql-scalars; whatever it refuses is ValidationFailed too. */
function parsed(parse: () => unknown): Date {
  try {
    return inRange(parse() as Date)
  } catch (e) {
    if (e instanceof GraphQLError && e.extensions.code) throw e
    throw new GraphQLError(`Not a valid DateTime: ${(e as Error).message}`, {
      extensions: { code: 'common/validation-failed' },
    })
  }
}

/** graphql-scalars' DateTime, refusing dates outside DATE_RANGE as ValidationFailed. */
export const BoundedDateTime = new GraphQLScalarType<Date, Date | string>({
  ...DateTimeResolver.toConfig(),
  parseValue: (value) => parsed(() => DateTimeResolver.parseValue(value)),
  parseLiteral: (ast, variables) => parsed(() => DateTimeResolver.parseLiteral(ast, variables)),
})

const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)])
const ring = z
  .array(position)
  .min(4)
  .refine(
    (r) => r.length > 0 && r[0]![0] === r.at(-1)![0] && r[0]![1] === r.at(-1)![1],
    'a linear ring must be closed (first point = last point)',
  )
export const polygonSchema = z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) })
export type GeoJSONPolygon = z.infer<typeof polygonSchema>

function literalToValue(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalToValue(f.value)]))
    case Kind.LIST:
      return ast.values.map(literalToValue)
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value)
    case Kind.STRING:
    case Kind.ENUM:
      return ast.value
    case Kind.BOOLEAN:
      return ast.value
    default:
      return null
  }
}

function parsePolygon(value: unknown): GeoJSONPolygon {
  const parsed = polygonSchema.safeParse(value)
  if (!parsed.success)
    throw new GraphQLError(
      `GeoJSONPolygon: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    )
  return parsed.data
}

/** A GeoJSON Polygon geometry (RFC 7946), WGS84 lng/lat. */
export const GeoJSONPolygonScalar = new GraphQLScalarType<GeoJSONPolygon, GeoJSONPolygon>({
  name: 'GeoJSONPolygon',
  description: 'A GeoJSON Polygon geometry (RFC 7946) in WGS84 longitude/latitude. GeoJSON 多边形（WGS84 经纬度）。',
  serialize: (v) => v as GeoJSONPolygon,
  parseValue: parsePolygon,
  parseLiteral: (ast) => parsePolygon(literalToValue(ast)),
})
