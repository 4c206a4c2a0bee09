import { builder } from '../builder.js'
import { BoundedDateTime, GeoJSONPolygonScalar, JSONResolver } from './scalars.js'

builder.addScalarType('DateTime', BoundedDateTime, {
  description: 'An ISO 8601 date-time in UTC between 1900 and 2199, e.g. 2026-11-29T08:00:00.000Z (UTC 时间).',
})
builder.addScalarType('JSON', JSONResolver, {
  description: 'Free-form JSON, used only where truly free-form (自由格式 JSON).',
})
builder.addScalarType('GeoJSONPolygon', GeoJSONPolygonScalar, {})

export const OrderDirection = builder.enumType('OrderDirection', {
  description: 'Sort direction (排序方向).',
  values: {
    ASC: { value: 'asc', description: 'Ascending (升序).' },
    DESC: { value: 'desc', description: 'Descending (降序).' },
  } as const,
})
