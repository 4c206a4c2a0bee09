// The composite score of a department (综合得分): the street's weights over six figures, each on a
// 0–100 scale where more is better. The weights are whole percentage points summing to 100; a
// figure without data (nothing due, no rating) is left out and the others count in proportion.
import { z } from 'zod'

export const WEIGHT_KEYS = [
  'signedOnTime',
  'completedOnTime',
  'satisfaction',
  'notReturned',
  'notReopened',
  'notSupervised',
] as const
export type WeightKey = (typeof WEIGHT_KEYS)[number]
export type Weights = Record<WeightKey, number>

/** What a street without weights of its own uses. */
export const DEFAULT_WEIGHTS: Weights = {
  signedOnTime: 20,
  completedOnTime: 30,
  satisfaction: 30,
  notReturned: 10,
  notReopened: 5,
  notSupervised: 5,
}

/** Each figure as the formula names it (Chinese, as a street office reads it). */
export const FIGURE_LABELS: Record<WeightKey, string> = {
  signedOnTime: '签收及时率',
  completedOnTime: '办结及时率',
  satisfaction: '满意度得分',
  notReturned: '(100−退单率)',
  notReopened: '(100−重办率)',
  notSupervised: '(100−督办率)',
}

/** Each weight's meaning, English then Chinese (schema descriptions). */
export const WEIGHT_DESCRIPTIONS: Record<WeightKey, string> = {
  signedOnTime: 'Weight of signedOnTimePercent (签收及时率权重).',
  completedOnTime: 'Weight of completedOnTimePercent (办结及时率权重).',
  satisfaction: 'Weight of the satisfaction score, averageSatisfaction × 20 (满意度得分权重).',
  notReturned: 'Weight of 100 − returnedPercent (不退单率权重).',
  notReopened: 'Weight of 100 − reopenedPercent (不重办率权重).',
  notSupervised: 'Weight of 100 − supervisedPercent (未督办率权重).',
}

const weight = z.number().int('whole percentage points').min(0, 'must not be negative').max(100)

/** Six non-negative whole numbers (that must sum to 100: see weightsSum). */
export const weightsShape = z.object(
  Object.fromEntries(WEIGHT_KEYS.map((k) => [k, weight])) as Record<WeightKey, typeof weight>,
)

export const weightsSum = (w: Weights): number => WEIGHT_KEYS.reduce((s, k) => s + w[k], 0)

/** The score as a formula, e.g. `0.2×签收及时率 + 0.3×办结及时率 + …`; weights of 0 are left out. */
export function formulaOf(w: Weights): string {
  const terms = WEIGHT_KEYS.filter((k) => w[k] > 0).map((k) => `${w[k] / 100}×${FIGURE_LABELS[k]}`)
  return terms.join(' + ')
}
