// Assessment (考核): DepartmentPerformance and GridPerformance (DESIGN §2), GridWorkerPerformance,
// and the weights of the departments' composite score. The descriptions below are the definition
// of every figure: a street office checks the numbers against them.
import type { ArgBuilder, FieldMap, ObjectRef } from '@pothos/core'
import { builder } from '../../builder.js'
import type { Types } from '../../shared/schema-fields.js'
import { optionalRowById, rowById } from '../../shared/rows-by-id.js'
import { payload } from '../../shared/mutations.js'
import '../directory/directory.schema.js'
import '../grid/grid.schema.js'
import { RegionRef } from '../grid/region.schema.js'
import * as service from './assessment.service.js'
import { MAX_RANGE_DAYS, type Period } from './period.js'
import { DEFAULT_WEIGHTS, WEIGHT_DESCRIPTIONS, WEIGHT_KEYS, type WeightKey } from './weights.js'

// ---------------------------------------------------------------- shared wording

/** Which orders a department's figures count. */
export const ORDERS =
  'the orders received: dispatch orders (派单) addressed to the department, created in the period, on cases whose grid lies in the region'
/** Which orders the shares are of. */
export const COUNTED = "orders received that were not cancelled (撤单 by the dispatcher: not the department's doing)"
/** When outcomes are judged. */
export const AS_OF = 'as of `asOf`'
export const CASES = 'cases reported (created) in the period in the grid'

/** A share's field options: `ratio` × 100, named `name` (its Chinese term). */
export const percent = (ratio: string, name: string) =>
  ({
    nullable: true,
    description: `${ratio} × 100. Percent, 0–100; null when the denominator is 0 (${name}).`,
  }) as const

// ---------------------------------------------------------------- period

export const PeriodInput = builder.inputType('AssessmentPeriodInput', {
  description:
    'An assessment period (考核周期) in China Standard Time (Asia/Shanghai, UTC+8): exactly one of month, quarter, year, or startDate with endDate.',
  fields: (t) => ({
    month: t.string({
      required: false,
      description:
        "A calendar month, `YYYY-MM`, e.g. `2026-11`: from the 1st 00:00 to the next month's 1st 00:00, Shanghai time (月度).",
    }),
    quarter: t.string({
      required: false,
      description: 'A calendar quarter, `YYYY-Q1` … `YYYY-Q4` (Q1 = January–March) (季度).',
    }),
    year: t.int({ required: false, description: 'A calendar year, e.g. 2026 (年度).' }),
    startDate: t.string({
      required: false,
      description: 'First day of a range, `YYYY-MM-DD`, from 00:00 Shanghai time; with endDate (起始日).',
    }),
    endDate: t.string({
      required: false,
      description: `Last day of a range, \`YYYY-MM-DD\`, included (to 24:00 Shanghai time); at most ${MAX_RANGE_DAYS} days (截止日，含当日).`,
    }),
  }),
})

export const PeriodRef = builder.objectRef<Pick<Period, 'label' | 'from' | 'to'>>('AssessmentPeriod').implement({
  description: 'The period the figures cover (考核周期): the half-open range [from, to) of instants.',
  fields: (t) => ({
    label: t.exposeString('label', {
      description: 'The period as given: `2026-11`, `2026-Q4`, `2026` or `2026-11-01~2026-11-15` (周期名称).',
    }),
    from: t.field({
      type: 'DateTime',
      resolve: (p) => p.from,
      description: 'First instant of the period, e.g. 2026-10-31T16:00:00Z for November 2026 (起始时刻，含).',
    }),
    to: t.field({
      type: 'DateTime',
      resolve: (p) => p.to,
      description: 'First instant after the period (截止时刻，不含).',
    }),
  }),
})

// ---------------------------------------------------------------- weights

export const WeightsRef = builder.objectRef<service.WeightsView>('AssessmentWeights').implement({
  description: `How a street weighs the figures of the departments' composite score (考核权重): whole percentage points, non-negative, summing to 100. A street that never set them uses the defaults (${WEIGHT_KEYS.map((k) => `${k} ${DEFAULT_WEIGHTS[k]}`).join(', ')}); regions above street level always do.`,
  fields: (t) => ({
    street: t.prismaField({
      type: 'Region',
      nullable: true,
      description: 'The street the weights belong to; null above street level (所属街道).',
      resolve: (query, w, _a, ctx) => optionalRowById(ctx, 'region', query, w.streetId),
    }),
    ...(Object.fromEntries(
      WEIGHT_KEYS.map((k) => [k, t.exposeInt(k, { description: WEIGHT_DESCRIPTIONS[k] })]),
    ) as Record<WeightKey, ReturnType<typeof t.exposeInt>>),
    isDefault: t.exposeBoolean('isDefault', {
      description: 'The street has not set its own weights: these are the defaults (是否默认权重).',
    }),
    version: t.exposeInt('version', {
      description: 'Version for optimistic concurrency; 0 while the defaults apply (版本号).',
    }),
    updatedAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (w) => w.updatedAt,
      description: 'Last set at; null for the defaults (设置时间).',
    }),
  }),
})

/**
 * A report's type: the region, the period and when the figures were computed, which every report
 * names, then `fields` of its own and its rows.
 */
export const reportRef = <Row, R extends service.Report<Row> = service.Report<Row>>(
  name: string,
  o: {
    description: string
    asOf?: string
    fields?: (t: PothosSchemaTypes.ObjectFieldBuilder<Types, R>) => FieldMap
    row: ObjectRef<Types, Row>
    rows: string
  },
) =>
  builder.objectRef<R>(name).implement({
    description: o.description,
    fields: (t) => ({
      region: t.prismaField({
        type: 'Region',
        description: 'The region (考核区域).',
        resolve: (query, r, _a, ctx) => rowById(ctx, 'region', query, r.region.id),
      }),
      period: t.field({ type: PeriodRef, resolve: (r) => r.period, description: 'The period (考核周期).' }),
      asOf: t.field({
        type: 'DateTime',
        resolve: (r) => r.asOf,
        description: o.asOf ?? 'When the figures were computed (统计时点).',
      }),
      ...o.fields?.(t),
      rows: t.field({ type: [o.row], resolve: (r) => r.rows, description: o.rows }),
    }),
  })

// ---------------------------------------------------------------- queries and the mutation

/** The arguments of every performance report: a region and a period. */
export const performanceArgs = (arg: ArgBuilder<Types>) => ({
  regionId: arg.globalID({
    required: false,
    for: RegionRef,
    description: 'A street or a community (or, for admins, any region); default your first region (考核区域).',
  }),
  period: arg({ type: PeriodInput, required: true, description: 'The period (考核周期).' }),
})

builder.queryFields((t) => ({
  assessmentWeights: t.field({
    type: WeightsRef,
    authScopes: { officer: true, departmentStaff: true },
    description: "The weights of the departments' composite score that apply to a region: its street's (考核权重).",
    args: {
      regionId: t.arg.globalID({
        required: true,
        for: RegionRef,
        description: "A street, or a community (its street's weights) (区域).",
      }),
    },
    resolve: (_r, { regionId }, ctx) => service.weightsFor(ctx, regionId.id),
  }),
}))

const SetWeightsInput = builder.inputType('SetAssessmentWeightsInput', {
  description: "A street's new weights (设置考核权重): whole percentage points, each 0–100, summing to 100.",
  fields: (t) => ({
    streetId: t.globalID({
      required: true,
      for: RegionRef,
      description: 'The street region whose weights these are (街道).',
    }),
    version: t.int({
      required: true,
      description: 'The version you read (AssessmentWeights.version; 0 while the defaults apply) (读取时的版本号).',
    }),
    ...(Object.fromEntries(
      WEIGHT_KEYS.map((k) => [k, t.int({ required: true, description: WEIGHT_DESCRIPTIONS[k] })]),
    ) as Record<WeightKey, ReturnType<typeof t.int>>),
  }),
})

builder.mutationFields((t) => ({
  setAssessmentWeights: t.field({
    type: WeightsRef,
    description:
      "Sets the weights of a street's departmental composite score (设置考核权重). Street officers of that street, admins.",
    authScopes: { streetOfficer: true },
    errors: payload('weights', "The street's weights (考核权重)."),
    args: { input: t.arg({ type: SetWeightsInput, required: true }) },
    resolve: (_r, { input }, ctx) => service.setAssessmentWeights(ctx, { ...input, streetId: input.streetId.id }),
  }),
}))
