// Resident identity card numbers (居民身份证号码, GB 11643-1999): 6-digit area code, birth date
// YYYYMMDD, 3-digit sequence whose last digit is odd for men, and an ISO 7064 MOD 11-2 check character.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = '10X98765432'

/** The check character for the first 17 digits. */
export function idNumberCheck(first17: string): string {
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * WEIGHTS[i]!, 0)
  return CHECK[sum % 11]!
}

export interface IdNumberFacts {
  birthYear: number
  gender: 'MALE' | 'FEMALE'
}

/** What an 18-character ID number says, or null when it is not one (format, date or check). */
export function parseIdNumber(raw: string): IdNumberFacts | null {
  const id = raw.trim().toUpperCase()
  if (!/^\d{17}[\dX]$/.test(id)) return null
  const [y, m, d] = [Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14))]
  const born = new Date(Date.UTC(y, m - 1, d))
  if (born.getUTCFullYear() !== y || born.getUTCMonth() !== m - 1 || born.getUTCDate() !== d || y < 1900) return null
  if (idNumberCheck(id.slice(0, 17)) !== id[17]) return null
  return { birthYear: y, gender: Number(id[16]) % 2 === 1 ? 'MALE' : 'FEMALE' }
}
