// The party's part of the grid public card (网格公示牌): the members approved into the grid through
// dual reporting show who they are and what they pledged (亮身份、亮承诺). The card is public to
// whoever may read the grid, so this is a deliberate projection of approved reports, read with the
// trusted client: name, role in the grid and this year's pledges, the phone whole or masked as
// personal data (src/auth/personal-data.ts). Cards asked for together are read in one statement.
import DataLoader from 'dataloader'
import { builder } from '../../builder.js'
import type { Context } from '../../context.js'
import { maskPhone, personal } from '../../auth/personal-data.js'
import { PublicCardRef } from '../grid/public-card.schema.js'
import { serviceYear } from './transitions.js'

interface CardPartyMember {
  name: string
  role: string | null
  commitments: string[]
  phone: string | null
}

const CardPartyMemberRef = builder.objectRef<CardPartyMember>('PublicCardPartyMember').implement({
  description: 'A party member reported to the grid, shown on its public card (亮身份、亮承诺).',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Name (姓名).' }),
    role: t.exposeString('role', {
      nullable: true,
      description: 'Role in the grid, e.g. 在职党员 or 楼栋党员联络员 (服务岗位).',
    }),
    commitments: t.exposeStringList('commitments', { description: 'What they pledged this year (承诺事项).' }),
    phone: t.exposeString('phone', {
      nullable: true,
      description: 'Phone, masked unless your role needs it (电话，按角色脱敏).',
    }),
  }),
})

/** The members on each grid's card, in order of approval. */
async function cardMembers(ctx: Context, gridIds: readonly string[]): Promise<CardPartyMember[][]> {
  const reports = await ctx.prisma.dualReport.findMany({
    where: { gridId: { in: [...gridIds] }, status: 'APPROVED', kind: 'MEMBER', member: { active: true } },
    orderBy: [{ decidedAt: 'asc' }, { id: 'asc' }],
    select: {
      gridId: true,
      serviceRole: true,
      member: {
        select: {
          name: true,
          phone: true,
          userId: true,
          homeCommunityId: true,
          reports: { select: { communityId: true } },
        },
      },
      // this year's pledges, the year taken per request (China Standard Time)
      commitments: {
        where: { cancelledAt: null, year: serviceYear(new Date()) },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        select: { title: true },
      },
    },
  })
  const byGrid = new Map<string, CardPartyMember[]>(gridIds.map((id) => [id, []]))
  for (const r of reports) {
    if (!r.member || !r.gridId) continue
    const m = r.member
    const { phone } = await personal(
      ctx,
      { userId: m.userId, communityIds: [m.homeCommunityId, ...m.reports.map((x) => x.communityId)] },
      { phone: m.phone },
      { phone: maskPhone },
    )
    byGrid
      .get(r.gridId)
      ?.push({ name: m.name, role: r.serviceRole, commitments: r.commitments.map((c) => c.title), phone })
  }
  return gridIds.map((id) => byGrid.get(id) ?? [])
}

// One loader per request (and per subscription, whose context lives on): batching only, no cache,
// so that a card pushed again after a change is read again.
const loaders = new WeakMap<Context, DataLoader<string, CardPartyMember[]>>()
const loaderFor = (ctx: Context) => {
  let loader = loaders.get(ctx)
  if (!loader) loaders.set(ctx, (loader = new DataLoader((ids) => cardMembers(ctx, ids), { cache: false })))
  return loader
}

builder.objectField(PublicCardRef, 'partyMembers', (t) =>
  t.field({
    type: [CardPartyMemberRef],
    description: 'Party members reported to the grid, approved through dual reporting (报到党员亮身份).',
    resolve: (card, _a, ctx) => loaderFor(ctx).load(card.gridId),
  }),
)
