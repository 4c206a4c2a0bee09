import { builder } from '../../builder.js'
import type { DutyList, GridRole } from '../../generated/prisma/enums.js'

import { maskPhone, seesPerson } from '../../auth/personal-data.js'
import { DutyListEnum, GridRef, GridRoleEnum } from './grid.schema.js'

interface CardWorker {
  name: string
  role: GridRole
  phone: string | null
  duties: string | null
}
/** The card's own fields; other modules add theirs to PublicCardRef (the party module its reported members). */
interface PublicCard {
  gridId: string
  gridName: string
  gridCode: string
  communityName: string
  workers: CardWorker[]
  duties: { list: DutyList; title: string }[]
  supervisionHotline: string | null
}

const CardWorkerRef = builder.objectRef<CardWorker>('PublicCardWorker').implement({
  description: 'A person listed on the grid public card (公示牌人员).',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Name (姓名).' }),
    role: t.expose('role', { type: GridRoleEnum, description: 'Role in the grid (网格角色).' }),
    phone: t.exposeString('phone', {
      nullable: true,
      description: 'Phone, masked unless your role needs it (电话，按角色脱敏).',
    }),
    duties: t.exposeString('duties', { nullable: true, description: 'What they do (职责).' }),
  }),
})

const CardDutyRef = builder.objectRef<{ list: DutyList; title: string }>('PublicCardDuty').implement({
  description: 'A duty item shown on the public card (公示职责).',
  fields: (t) => ({
    list: t.expose('list', { type: DutyListEnum, description: 'Which of the five lists (清单类别).' }),
    title: t.exposeString('title', { description: 'Title (事项).' }),
  }),
})

export const PublicCardRef = builder.objectRef<PublicCard>('GridPublicCard').implement({
  description:
    'Public contact card of a grid (网格公示牌 / 便民联系卡): who serves it, their duties, the supervision hotline.',
  fields: (t) => ({
    gridName: t.exposeString('gridName', { description: 'Grid name (网格名称).' }),
    gridCode: t.exposeString('gridCode', { description: 'Grid code (网格编码).' }),
    communityName: t.exposeString('communityName', { description: 'Community (所属社区).' }),
    workers: t.field({
      type: [CardWorkerRef],
      resolve: (c) => c.workers,
      description: 'Grid workers and building leaders (网格员、楼栋长).',
    }),
    duties: t.field({ type: [CardDutyRef], resolve: (c) => c.duties, description: 'Published duties (公示职责).' }),
    supervisionHotline: t.exposeString('supervisionHotline', {
      nullable: true,
      description: 'Supervision hotline (监督电话).',
    }),
  }),
})

// the grid's card, added from this side: grid.schema.ts does not import the card
builder.prismaObjectField(GridRef, 'publicCard', (t) =>
  t.field({
    type: PublicCardRef,
    description: 'Public contact card (公示牌 / 便民联系卡).',
    select: {
      name: true,
      code: true,
      supervisionHotline: true,
      community: { select: { name: true } },
      communityId: true,
      assignments: {
        where: { endedAt: null },
        orderBy: { role: 'asc' },
        select: { role: true, duties: true, user: { select: { id: true, displayName: true, phone: true } } },
      },
      duties: {
        where: { archived: false },
        orderBy: [{ list: 'asc' }, { sortOrder: 'asc' }],
        select: { list: true, title: true },
      },
    },
    resolve: async (g, _a, ctx) => ({
      gridId: g.id,
      gridName: g.name,
      gridCode: g.code,
      communityName: g.community.name,
      supervisionHotline: g.supervisionHotline,
      workers: await Promise.all(
        g.assignments.map(async (a) => ({
          name: a.user.displayName,
          role: a.role,
          duties: a.duties,
          phone: (await seesPerson(ctx, { userId: a.user.id, communityIds: [g.communityId] }))
            ? a.user.phone
            : maskPhone(a.user.phone),
        })),
      ),
      duties: g.duties,
    }),
  }),
)
