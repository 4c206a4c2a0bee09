import { DateTimeResolver, JSONResolver } from 'graphql-scalars'
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql'
import { z } from 'zod'

export { DateTimeResolver, JSONResolver }

const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)])
const ring = z.array(position).min(4).refine((r) => r[0]![0] === r.at(-1)![0] && r[0]![1] === r.at(-1)![1], 'a linear ring must be closed (first point = last point)')
export const polygonSchema = z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) })
export type GeoJSONPolygon = z.infer<typeof polygonSchema>

function literalToValue(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.OBJECT: return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalToValue(f.value)]))
    case Kind.LIST: return ast.values.map(literalToValue)
    case Kind.INT: case Kind.FLOAT: return Number(ast.value)
    case Kind.STRING: case Kind.ENUM: return ast.value
    case Kind.BOOLEAN: return ast.value
    default: return null
  }
}

function parsePolygon(value: unknown): GeoJSONPolygon {
  const parsed = polygonSchema.safeParse(value)
  if (!parsed.success) throw new GraphQLError(`GeoJSONPolygon: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
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
