// Case categories with their SLAs and the routing rules of every street: the catalogue automatic
// dispatch needs. Street-level departments are matched by the suffix of their code (e.g. CGZF →
// ZF, the law-enforcement squad), district ones by theirs.
import type { PrismaClient } from '../db.js'

interface CategorySpec {
  code: string
  name: string
  description: string
  sign: number
  complete: number
  caseSla: number
  lead: string
  assist: string[]
}

export const CATEGORIES: CategorySpec[] = [
  {
    code: 'DISPUTE',
    name: '矛盾纠纷',
    description: 'Neighbour, family and property disputes (邻里、家庭、物业纠纷)',
    sign: 2,
    complete: 72,
    caseSla: 120,
    lead: 'SF',
    assist: ['PCS'],
  },
  {
    code: 'SANITATION',
    name: '环境卫生',
    description: 'Rubbish, dirty public spaces (垃圾堆放、卫生死角)',
    sign: 1,
    complete: 24,
    caseSla: 48,
    lead: 'HW',
    assist: ['ZF'],
  },
  {
    code: 'MUNICIPAL',
    name: '市政设施',
    description: 'Roads, street lights, manholes, drains (道路、路灯、井盖、排水)',
    sign: 2,
    complete: 72,
    caseSla: 120,
    lead: 'SW',
    assist: ['GD'],
  },
  {
    code: 'SECURITY',
    name: '治安隐患',
    description: 'Public-order hazards (治安隐患)',
    sign: 0.5,
    complete: 24,
    caseSla: 48,
    lead: 'PCS',
    assist: [],
  },
  {
    code: 'PROPERTY',
    name: '物业服务',
    description: 'Property-management service complaints (物业服务投诉)',
    sign: 2,
    complete: 120,
    caseSla: 168,
    lead: 'ZJ',
    assist: ['MZ'],
  },
  {
    code: 'SAFETY',
    name: '安全生产',
    description: 'Fire and work-safety hazards (消防、安全生产隐患)',
    sign: 0.5,
    complete: 24,
    caseSla: 48,
    lead: 'YJ',
    assist: ['XF'],
  },
  {
    code: 'VENDING',
    name: '占道经营',
    description: 'Street vending, illegal occupation of roads (占道经营)',
    sign: 1,
    complete: 24,
    caseSla: 48,
    lead: 'ZF',
    assist: ['SJ'],
  },
  {
    code: 'NOISE',
    name: '噪声扰民',
    description: 'Noise nuisance (噪声扰民)',
    sign: 1,
    complete: 48,
    caseSla: 72,
    lead: 'HB',
    assist: ['PCS'],
  },
]

/** Loads the categories and one routing rule per category and street. Idempotent per category code. */
export async function seedCaseCatalog(prisma: PrismaClient): Promise<{ categories: number; routingRules: number }> {
  await prisma.caseCategory.createMany({
    data: CATEGORIES.map((c) => ({
      code: c.code,
      name: c.name,
      description: c.description,
      signSlaHours: c.sign,
      completeSlaHours: c.complete,
      caseSlaHours: c.caseSla,
    })),
    skipDuplicates: true,
  })
  const categories = new Map((await prisma.caseCategory.findMany()).map((c) => [c.code, c.id]))
  const departments = await prisma.department.findMany({
    include: { region: { select: { level: true, parentId: true } } },
  })
  const streets = await prisma.region.findMany({ where: { level: 'STREET' } })
  const rules: { categoryId: string; regionId: string; leadDepartmentId: string; assistDepartmentIds: string[] }[] = []
  for (const street of streets) {
    // the street's own departments first, then those of its district
    const pick = (abbr: string) =>
      departments.find((d) => d.regionId === street.id && d.code.endsWith(abbr)) ??
      departments.find((d) => d.regionId === street.parentId && d.code.endsWith(abbr))
    for (const c of CATEGORIES) {
      const lead = pick(c.lead)
      if (!lead) continue
      rules.push({
        categoryId: categories.get(c.code)!,
        regionId: street.id,
        leadDepartmentId: lead.id,
        assistDepartmentIds: c.assist
          .map(pick)
          .filter((d): d is NonNullable<typeof d> => !!d)
          .map((d) => d.id),
      })
    }
  }
  const { count } = await prisma.routingRule.createMany({ data: rules, skipDuplicates: true })
  return { categories: categories.size, routingRules: count }
}
