// fast-check arbitraries for the arguments of any root field, built by walking the GraphQL input
// types as `valueFor` (authz-documents.ts) does: mostly well-typed values that reach the services
// (real rows' IDs, dates in range, coordinates of the seeded town), mixed with hostile ones
// (Chinese, emoji, control characters, LIKE wildcards, SQL-ish text, over-long strings, numbers
// beyond 32 bits, IDs of the wrong type, garbage base64, impossible dates, broken polygons).
import fc from 'fast-check'
import {
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
} from 'graphql'
import { idTypeOf } from './authz-documents.js'
import { globalId } from './fixtures.js'

/** What the values are drawn from: real rows' global IDs by object type, the Node types, the area the grids cover. */
export interface FuzzWorld {
  real: Map<string, string[]>
  nodeTypes: string[]
  /** The bounding box of the seeded grids: points inside it reach the grid lookups. */
  area: { minLng: number; minLat: number; maxLng: number; maxLat: number }
}

// ---------------------------------------------------------------- text

const fromCodePoint = (cp: number) => String.fromCodePoint(cp)

/** One character of the text arbitrary; NUL is left to `text` so that most strings pass the input guard. */
const character: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map(fromCodePoint) },
  { weight: 3, arbitrary: fc.constantFrom(...'网格党员社区街道案件') },
  { weight: 2, arbitrary: fc.integer({ min: 0x4e00, max: 0x9fff }).map(fromCodePoint) },
  { weight: 1, arbitrary: fc.integer({ min: 0x20000, max: 0x2a6df }).map(fromCodePoint) }, // CJK extension B: surrogate pairs
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.integer({ min: 0x1f300, max: 0x1faff }).map(fromCodePoint),
      fc.constantFrom('👨‍👩‍👧', '🇨🇳', '👍🏽', '❤️'),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.integer({ min: 0x01, max: 0x1f }).map(fromCodePoint),
      fc.constantFrom('\u007f', '\u0085', '\u2028', '\u200b', '\ufeff', '\ufffd'),
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom('%', '_', '\\', "'", '"', ';', '--', '*', '$', '{', '}', '<', '>', '&', '\n', ' '),
  },
  { weight: 1, arbitrary: fc.constantFrom('\ud800', '\udfff') }, // lone surrogates
)

const SQLISH = [
  '\'; DROP TABLE "Case"; --',
  "' OR '1'='1",
  "%' OR 1=1 --",
  "\\'; SELECT pg_sleep(5); --",
  '$1',
  '$$;$$',
  'NULL',
  'null',
  'undefined',
  '%%',
  '_%_',
  '\\%',
  '\\\\',
  'a\\',
  "E'\\x00'",
  '::text',
  '/*',
  '*/',
  '{"$ne": null}',
  '<script>alert(1)</script>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, meant literally
  '${7*7}',
  '{{7*7}}',
]
const SHAPES = [
  '',
  ' ',
  '   ',
  '\t',
  'x',
  '网格',
  '13800138000',
  '+86 138 0013 8000',
  'a@b.cn',
  'https://example.invalid/hook',
  'http://127.0.0.1/',
  'ftp://x',
  '2026-01-01T00:00:00Z',
  '0',
  '-1',
  '1e309',
  'NaN',
  'true',
  '[]',
  '{}',
  'A-01',
  'LJ',
  'ROOT',
  '9'.repeat(40),
]

/** Strings right at and beyond the field caps (the longest free text takes 5,000; the guard 10,000). */
const longText = fc
  .tuple(
    fc.constantFrom(31, 33, 65, 101, 129, 201, 256, 257, 501, 1001, 2001, 5001, 10_000, 10_001),
    fc.constantFrom('a', '网', '😀', '%'),
  )
  .map(([n, c]) => c.repeat(c.length === 2 ? Math.ceil(n / 2) : n))

/** Free text: mostly short mixed strings; SQL-ish, plausible, very long and NUL-carrying ones now and then. */
export const text: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: character, maxLength: 24 }) },
  { weight: 2, arbitrary: fc.constantFrom(...SQLISH) },
  { weight: 2, arbitrary: fc.constantFrom(...SHAPES) },
  { weight: 1, arbitrary: longText },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.string({ unit: character, maxLength: 8 }), fc.string({ unit: character, maxLength: 8 }))
      .map(([a, b]) => `${a}\u0000${b}`),
  },
)

// ---------------------------------------------------------------- numbers

/** Inside GraphQL's Int; the edges and a few ordinary values. */
const int32 = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(0, 1, -1, 2, 3, 10, 100, 101, 1000, 2 ** 31 - 1, -(2 ** 31)) },
  { weight: 2, arbitrary: fc.integer() },
)
/** Not an Int: GraphQL refuses these at variable coercion. */
const notInt32 = fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53, -(2 ** 53), 1e21, 1.5, -0.5)

const YEARS = [0, -1, 1, 1899, 1900, 1949, 2000, 2025, 2026, 2027, 2199, 2200, 9999, 10_000, 275_761]

function intFor(name: string): fc.Arbitrary<number> {
  if (name === 'version' || /Version$/.test(name))
    return fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(0, 1, 2) },
      { weight: 1, arbitrary: int32 },
      { weight: 1, arbitrary: notInt32 },
    )
  if (name === 'year')
    return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...YEARS) }, { weight: 1, arbitrary: int32 })
  return fc.oneof({ weight: 6, arbitrary: int32 }, { weight: 1, arbitrary: notInt32 })
}

const float = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.constantFrom(0, -0, 1, -1, 0.5, 1e-9, 2 ** 31, 2 ** 53, 1e21, 1e308, -1e308, 5e-324, 99999.99),
  },
  { weight: 2, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
)

/** Hostile coordinates: around the seeded town (118.8°E 32.05°N), anywhere on earth, and out of range. */
const coordinate = (axis: 'lng' | 'lat') => {
  const [near, limit] = axis === 'lng' ? [[118.6, 118.9], 180] : [[31.9, 32.2], 90]
  return fc.oneof(
    { weight: 4, arbitrary: fc.double({ min: near[0]!, max: near[1]!, noNaN: true }) },
    { weight: 1, arbitrary: fc.double({ min: -limit, max: limit, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(limit, -limit, limit + 1e-9, -limit - 1, 360, 1e308, -1e308, 0) },
    { weight: 1, arbitrary: float },
  )
}

function floatFor(name: string): fc.Arbitrary<number> {
  if (/^(lng|lon|longitude)$/i.test(name)) return coordinate('lng')
  if (/^(lat|latitude)$/i.test(name)) return coordinate('lat')
  return float
}

// ---------------------------------------------------------------- dates

const DAY = 86_400_000
const isoDate = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2199-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString())

export const dateTime: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.integer({ min: -60, max: 120 }).map((days) => new Date(Date.now() + days * DAY).toISOString()),
  },
  { weight: 2, arbitrary: isoDate },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '0000-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
      '2026-02-30T00:00:00Z',
      '1899-12-31T23:59:59.999Z',
      '2200-01-01T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-01-01',
      '2026-01-01T24:00:00Z',
      '2026-01-01T00:00:00+14:00',
      '2026-01-01T00:00:00.123456789Z',
      '+275760-09-13T00:00:00Z',
      '-000001-01-01T00:00:00Z',
      'now',
      'yesterday',
      '',
      '2026年1月1日',
    ),
  },
  { weight: 1, arbitrary: fc.oneof(text, fc.integer(), fc.constant(1e308)) },
)

// ---------------------------------------------------------------- polygons

const square = (x: number, y: number, d: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + d, y],
      [x + d, y + d],
      [x, y + d],
      [x, y],
    ],
  ],
})

const polygon: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.double({ min: 118.6, max: 118.9, noNaN: true }),
        fc.double({ min: 31.9, max: 32.2, noNaN: true }),
        fc.double({ min: 1e-6, max: 0.02, noNaN: true }),
      )
      .map(([x, y, d]) => square(x, y, d)),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom<unknown>(
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 1],
            [1, 0],
            [0, 1],
            [0, 0],
          ],
        ],
      }, // bow tie (self-intersecting)
      {
        type: 'Polygon',
        coordinates: [
          [
            [118.7, 32],
            [118.71, 32],
            [118.71, 32.01],
            [118.7, 32.01],
          ],
        ],
      }, // not closed
      {
        type: 'Polygon',
        coordinates: [
          [
            [118.7, 32],
            [118.71, 32],
            [118.7, 32],
          ],
        ],
      }, // too few points
      {
        type: 'Polygon',
        coordinates: [
          [
            [118.7, 32],
            [118.7, 32],
            [118.7, 32],
            [118.7, 32],
          ],
        ],
      }, // zero area
      {
        type: 'Polygon',
        coordinates: [
          [
            [179, 89],
            [181, 89],
            [181, 91],
            [179, 91],
            [179, 89],
          ],
        ],
      }, // out of range
      {
        type: 'Polygon',
        coordinates: [
          [
            [-180, -90],
            [180, -90],
            [180, 90],
            [-180, 90],
            [-180, -90],
          ],
        ],
      }, // the whole world
      {
        type: 'Polygon',
        coordinates: [
          [
            [1e308, 1e308],
            [-1e308, 1e308],
            [0, 0],
            [1e308, 1e308],
          ],
        ],
      },
      { type: 'Polygon', coordinates: [] },
      { type: 'Polygon', coordinates: [[]] },
      {
        type: 'Polygon',
        coordinates: [
          [
            [118.7, 32, 10],
            [118.71, 32, 10],
            [118.71, 32.01, 10],
            [118.7, 32],
          ],
        ],
      },
      {
        type: 'Polygon',
        coordinates: [
          [
            ['118.7', '32'],
            ['118.71', '32'],
            ['118.71', '32.01'],
            ['118.7', '32'],
          ],
        ],
      },
      {
        type: 'Polygon',
        coordinates: [
          [
            [118.7, 32],
            [118.71, 32],
            [118.71, 32.01],
            [118.7, 32],
          ],
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 0],
          ],
        ],
      }, // hole outside
      { type: 'Point', coordinates: [118.7, 32] },
      { type: 'MultiPolygon', coordinates: [] },
      'POLYGON((0 0, 1 0, 1 1, 0 0))',
      42,
      [],
      {},
    ),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 3, max: 2000 }).map((n) => ({
      type: 'Polygon',
      coordinates: [
        [
          ...Array.from({ length: n }, (_, i) => [
            118.7 + 0.01 * Math.cos((2 * Math.PI * i) / n),
            32 + 0.01 * Math.sin((2 * Math.PI * i) / n),
          ]),
          [118.71, 32],
        ],
      ],
    })),
  },
)

// ---------------------------------------------------------------- IDs

const GARBAGE_IDS = [
  '',
  ' ',
  '=',
  '==',
  'not base64!',
  '////',
  'AAAA',
  '0',
  '-1',
  '00000000-0000-0000-0000-000000000000',
  '网格',
  Buffer.from(':').toString('base64'),
  Buffer.from('Case:').toString('base64'),
  Buffer.from('Case:not-a-uuid').toString('base64'),
  Buffer.from('Case:00000000-0000-0000-0000-000000000000:x').toString('base64'),
  Buffer.from('::::').toString('base64'),
  Buffer.from('Case:\u0000').toString('base64'),
  Buffer.from('Case:%').toString('base64'),
  Buffer.from(`Case:${'9'.repeat(40)}`).toString('base64'),
  Buffer.from('User:1').toString('base64'),
  Buffer.from('__proto__:x').toString('base64'),
  Buffer.from('constructor:x').toString('base64'),
]

/** A hostile ID: another type's row, a random UUID of the right or a wrong type, garbage. */
function hostileId(type: string | null, ids: FuzzWorld): fc.Arbitrary<string> {
  const others = [...ids.real.entries()].filter(([t]) => t !== type).flatMap(([, v]) => v.slice(0, 1))
  return fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(...others) },
    { weight: 1, arbitrary: fc.uuid().map((u) => globalId(type ?? 'Node', u)) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...ids.nodeTypes), fc.uuid()).map(([t, u]) => globalId(t, u)) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.constantFrom(...GARBAGE_IDS),
        fc.base64String({ maxLength: 24 }),
        text.map((s) => Buffer.from(s).toString('base64')),
      ),
    },
  )
}

/** A real row of the type the ID names (a random one of the type when the seed has none). */
function realId(type: string | null, ids: FuzzWorld): fc.Arbitrary<string> {
  const real = (type && ids.real.get(type)) || []
  return real.length ? fc.constantFrom(...real) : fc.uuid().map((u) => globalId(type ?? 'Node', u))
}

// ---------------------------------------------------------------- sane values: what a careful client sends

const alnum = (chars: string, min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...chars), minLength: min, maxLength: max })
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
const saneText = fc.string({
  unit: fc.oneof(fc.constantFrom(...'网格党员社区街道案件居民楼栋志愿服务'), fc.constantFrom(...'abcxyz019 %_-')),
  minLength: 1,
  maxLength: 20,
})

/** Strings in the formats the services check by name (codes, usernames, phones, URLs), free text otherwise. */
function saneString(name: string): fc.Arbitrary<string> {
  if (/^code$|Code$/.test(name) && name !== 'creditCode') return alnum(UPPER, 4, 12).map((c) => `FZ_${c}`)
  if (name === 'creditCode') return alnum('0123456789ABCDEFGHJKLMNPQRTUWXY', 18, 18)
  if (name === 'username') return alnum('abcdefghijklmnopqrstuvwxyz0123456789', 4, 12).map((u) => `fz.${u}`)
  if (/phone/i.test(name)) return alnum('0123456789', 8, 8).map((d) => `138${d}`)
  if (/url|attachments|documents/i.test(name))
    return alnum('abcdefghijklmnopqrstuvwxyz0123456789', 1, 12).map((p) => `https://example.invalid/${p}`)
  if (/email/i.test(name)) return alnum('abcdefghijklmnopqrstuvwxyz', 1, 10).map((u) => `${u}@example.invalid`)
  if (name === 'idempotencyKey') return fc.uuid()
  return saneText
}

function saneInt(name: string): fc.Arbitrary<number> {
  if (name === 'version' || /Version$/.test(name)) return fc.integer({ min: 0, max: 3 })
  if (name === 'year') return fc.integer({ min: 2024, max: 2027 })
  if (name === 'first' || name === 'last') return fc.constantFrom(1, 5, 20)
  return fc.integer({ min: 0, max: 100 })
}

/** A coordinate inside the grids' area, or a little outside it (a point of no grid). */
const withinArea = (min: number, max: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.double({ min, max, noNaN: true }) },
    { weight: 1, arbitrary: fc.double({ min: min - (max - min), max: max + (max - min), noNaN: true }) },
  )

function saneFloat(name: string, world: FuzzWorld): fc.Arbitrary<number> {
  if (/^(lng|lon|longitude)$/i.test(name)) return withinArea(world.area.minLng, world.area.maxLng)
  if (/^(lat|latitude)$/i.test(name)) return withinArea(world.area.minLat, world.area.maxLat)
  return fc.double({ min: 0, max: 100, noNaN: true })
}

const saneDateTime = fc.integer({ min: -30, max: 120 }).map((days) => new Date(Date.now() + days * DAY).toISOString())
const sanePolygon = (world: FuzzWorld) =>
  fc
    .tuple(
      withinArea(world.area.minLng, world.area.maxLng),
      withinArea(world.area.minLat, world.area.maxLat),
      fc.double({ min: 1e-4, max: 0.01, noNaN: true }),
    )
    .map(([x, y, d]) => square(x, y, d))

// ---------------------------------------------------------------- walking the input types

/** A relay cursor: Pothos' `GPC:<tag>:<value>` in base64 with every tag and odd values, or garbage. */
const b64 = (s: string) => Buffer.from(s).toString('base64')
const cursor = fc.oneof(
  { weight: 2, arbitrary: fc.uuid().map((u) => b64(`GPC:S:${u}`)) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(
        'S:',
        'S:x',
        'S:网格',
        'N:1',
        'N:1e400',
        'N:-0',
        'I:1',
        'I:99999999999999999999',
        'D:x',
        'D:8640000000000001',
        'B:AAAA',
        'M:1.5',
        'O:{}',
        'O:{"__proto__":{"x":1}}',
        'O:[',
        'Z:',
        'T:[]',
        'T:[null,"S:x"]',
        'J:[1]',
        'X:1',
        '',
      )
      .map((c) => b64(`GPC:${c}`)),
  },
  { weight: 1, arbitrary: text.map((s) => b64(`GPC:S:${s}`)) },
  {
    weight: 1,
    arbitrary: fc.oneof(fc.constantFrom('', 'AAAA', b64('9'.repeat(30))), fc.string({ maxLength: 40 }).map(b64), text),
  },
)
const pageSize = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(0, 1, 5, 20, 100, 101, 1000, -1) },
  { weight: 1, arbitrary: intFor('first') },
)

/** A scalar: the sane value, or — with probability `hostility` — the hostile one. */
function mix<T>(sane: fc.Arbitrary<T>, hostile: fc.Arbitrary<T>, hostility: number): fc.Arbitrary<T> {
  if (hostility <= 0) return sane
  if (hostility >= 1) return hostile
  return fc.oneof(
    { weight: Math.round(100 * (1 - hostility)), arbitrary: sane },
    { weight: Math.round(100 * hostility), arbitrary: hostile },
  )
}

/**
 * An arbitrary for a value of `type`: required fields always, optional ones sometimes (and
 * sometimes null), lists of 0–3 items, and each scalar hostile with probability `hostility`,
 * sane otherwise (see above, by the field's name).
 */
export function arbitraryFor(
  type: GraphQLInputType,
  name: string,
  description: string | null | undefined,
  context: string[],
  ids: FuzzWorld,
  hostility: number,
): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return arbitraryFor(type.ofType, name, description, context, ids, hostility)
  if (isListType(type))
    return fc.array(arbitraryFor(type.ofType, name, description, context, ids, hostility), { maxLength: 3 })
  if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((v) => v.name))
  if (isInputObjectType(type)) {
    if (context.includes(type.name)) return fc.constant(null) // no input type of the schema recurses; should one, stop here
    const fields = Object.values(type.getFields()) as GraphQLInputField[]
    const model: Record<string, fc.Arbitrary<unknown>> = {}
    for (const f of fields) {
      const value = arbitraryFor(f.type, f.name, f.description, [...context, type.name], ids, hostility)
      model[f.name] = isNonNullType(f.type) ? value : fc.option(value, { nil: null, freq: 8 })
    }
    const requiredKeys = fields.filter((f) => isNonNullType(f.type) && f.defaultValue === undefined).map((f) => f.name)
    return fc.record(model, { requiredKeys })
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID': {
        const named = idTypeOf(name, description, context, ids.nodeTypes)
        return mix(realId(named, ids), hostileId(named, ids), hostility)
      }
      case 'String':
        return name === 'after' || name === 'before' ? cursor : mix(saneString(name), text, hostility)
      case 'Int':
        return name === 'first' || name === 'last'
          ? mix(saneInt(name), pageSize, hostility)
          : mix(saneInt(name), intFor(name), hostility)
      case 'Float':
        return mix(saneFloat(name, ids), floatFor(name), hostility)
      case 'Boolean':
        return fc.boolean()
      case 'DateTime':
        return mix(saneDateTime, dateTime, hostility)
      case 'GeoJSONPolygon':
        return mix(sanePolygon(ids), polygon, hostility)
      case 'JSON':
        return fc.jsonValue({ maxDepth: 2 })
    }
    throw new Error(`no arbitrary for scalar ${type.name}`)
  }
  throw new Error(`no arbitrary for ${String(type)}`)
}

/**
 * How hostile one run's input is: all sane (it reaches the services' rules and, often, succeeds),
 * a little hostile (one bad value among good ones: the deepest refusals), or mostly hostile.
 */
const HOSTILITY = [0, 0.1, 0.6]

/**
 * The arguments of a root field: every argument named (so the document declares them all), those
 * left out `undefined` — JSON drops them, and the argument is absent. `only` limits the generated
 * arguments to those names (the required ones are always generated).
 */
export function argumentsFor(
  field: GraphQLField<unknown, unknown>,
  ids: FuzzWorld,
  only?: (name: string) => boolean,
): fc.Arbitrary<Record<string, unknown>> {
  const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined).map((a) => a.name)
  const generated = field.args.filter((a) => required.includes(a.name) || !only || only(a.name))
  const runs = HOSTILITY.map((hostility) => {
    const model = Object.fromEntries(
      generated.map((a) => [a.name, arbitraryFor(a.type, a.name, a.description, [field.name], ids, hostility)]),
    )
    return fc.record(model, { requiredKeys: required })
  })
  return fc
    .oneof(...runs)
    .map((given) => Object.fromEntries(field.args.map((a) => [a.name, (given as Record<string, unknown>)[a.name]])))
}
