// Personal data (DESIGN §4, PIPL minimisation): names of private persons, phones and ID numbers
// are shown whole only to the person, to admins, and to officers whose region subtree holds one
// of the person's relevant communities (home, report or case community). Everyone else gets them
// masked. This is the one place that decides it; fields pass the person's communities, selected
// with the row, and the answer costs at most one statement per request (the officer's subtree).
import type { Context } from '../context.js'
import { officerRegions } from './policy.js'
import { isAdmin } from './viewer.js'

export interface Person {
  /** The person's account, if any (the person always sees their own data). */
  userId?: string | null
  /** For an organisation's contact data: the unit whose own contacts see it whole. */
  unitId?: string | null
  /** The person's relevant communities: home, report or case community. */
  communityIds: readonly (string | null | undefined)[]
}

/** Whether the viewer sees this person's data whole. */
export async function seesPerson(ctx: Context, person: Person): Promise<boolean> {
  const v = ctx.viewer
  if (!v) return false
  if (isAdmin(v) || (!!person.userId && person.userId === v.userId)) return true
  if (person.unitId && ctx.access.contactUnit() === person.unitId) return true
  const ids = person.communityIds.filter((id): id is string => !!id)
  if (!ids.length || !officerRegions(v)) return false
  const subtree = await ctx.access.subtreeRegionIds()
  return ids.some((id) => subtree.has(id))
}

/** `王小明` → `王**`: names of private persons shown to others keep the surname only. */
export function maskName(name: string | null | undefined): string | null {
  if (!name) return name ?? null
  const chars = [...name.trim()]
  if (chars.length <= 1) return '*'
  return chars[0] + '*'.repeat(chars.length - 1)
}

/** `13812341234` → `138****1234`; shorter numbers keep their last 4 digits only. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return phone ?? null
  const digits = phone.replace(/\s+/g, '')
  if (digits.length >= 11) return `${digits.slice(0, 3)}****${digits.slice(-4)}`
  if (digits.length > 4) return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`
  return '****'
}

/** `110105199001011234` → `110***********1234`: the first 3 and last 4 characters of an ID number. */
export function maskIdNumber(idNumber: string | null | undefined): string | null {
  if (!idNumber) return idNumber ?? null
  const id = idNumber.replace(/\s+/g, '')
  if (id.length <= 7) return '*'.repeat(id.length)
  return `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}`
}

/** The person's values, whole or masked, decided once for all of them. */
export async function personal<T extends Record<string, string | null | undefined>>(
  ctx: Context,
  person: Person,
  values: T,
  masks: { [K in keyof T]: (v: string | null | undefined) => string | null },
): Promise<{ [K in keyof T]: string | null }> {
  const whole = await seesPerson(ctx, person)
  const out = {} as { [K in keyof T]: string | null }
  for (const k of Object.keys(values) as (keyof T)[]) out[k] = whole ? (values[k] ?? null) : masks[k](values[k])
  return out
}
