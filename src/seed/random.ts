// Deterministic randomness for demo data: the same seed gives the same names and numbers.
import { GIVEN_CHARS, SURNAMES } from './names.js'

/** mulberry32 with the helpers demo data needs. */
export function seededRandom(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1))
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!
  return {
    next,
    int,
    pick,
    /** `k` distinct items of `xs`, in their original order. */
    some: <T>(xs: readonly T[], k: number): T[] => {
      const idx = new Set<number>()
      while (idx.size < Math.min(k, xs.length)) idx.add(Math.floor(next() * xs.length))
      return [...idx].sort((x, y) => x - y).map((i) => xs[i]!)
    },
    chance: (p: number) => next() < p,
    personName: () => pick(SURNAMES) + pick(GIVEN_CHARS) + (next() < 0.6 ? pick(GIVEN_CHARS) : ''),
    mobile: () =>
      pick(['138', '139', '137', '136', '135', '158', '159', '186', '187', '151', '152', '188']) +
      Array.from({ length: 8 }, () => int(0, 9)).join(''),
  }
}
