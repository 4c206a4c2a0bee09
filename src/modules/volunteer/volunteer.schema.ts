// Types the volunteer module's schema files share: enums, its typed errors and the timeline.
import { builder } from '../../builder.js'
import { optionalRowById } from '../../shared/rows-by-id.js'
import { nodeId } from '../../shared/schema-fields.js'
import {
  ActivityStatus,
  ActivityType,
  MicroWishStatus,
  PointsEntryKind,
  RedemptionStatus,
  SignupStatus,
  VolunteerTeamKind,
} from '../../generated/prisma/enums.js'
import { ErrorInterface } from '../../shared/errors.schema.js'
import {
  ActivityFullError,
  AlreadySignedUpError,
  InsufficientPointsError,
  OutOfStockError,
  OutsideTimeWindowError,
} from './volunteer.errors.js'

export const VolunteerTeamKindEnum = builder.enumType(VolunteerTeamKind, {
  name: 'VolunteerTeamKind',
  description:
    'Kind of volunteer team (志愿服务队类型): PARTY_VANGUARD 党员先锋队, RAINBOW 彩虹志愿队, VETERANS 老兵志愿队, YOUTH 青年志愿队, ELDERLY_CARE 助老服务队, OTHER 其他.',
})

export const ActivityTypeEnum = builder.enumType(ActivityType, {
  name: 'ActivityType',
  description:
    'Kind of volunteer activity (志愿活动类型): CIVILITY_PERSUASION 文明劝导, SAFETY_PATROL 平安巡逻, ELDERLY_CARE 关爱老人, ENVIRONMENT 环境整治, CULTURE 文化活动, HEALTH 健康服务, OTHER 其他.',
})

export const ActivityStatusEnum = builder.enumType(ActivityStatus, {
  name: 'ActivityStatus',
  description:
    'State of an activity (活动状态): DRAFT 草稿, PUBLISHED 已发布（招募中）, ONGOING 进行中, FINISHED 已结束, CANCELLED 已取消.',
})

export const SignupStatusEnum = builder.enumType(SignupStatus, {
  name: 'SignupStatus',
  description:
    'State of a signup (报名状态): SIGNED_UP 已报名, CHECKED_IN 已签到, COMPLETED 已完成（计时长积分）, NO_SHOW 缺席, CANCELLED 已取消.',
})

export const PointsEntryKindEnum = builder.enumType(PointsEntryKind, {
  name: 'PointsEntryKind',
  description:
    'Kind of ledger entry (积分流水类型): SERVICE 服务所得, REDEMPTION 兑换扣减, ADJUSTMENT 人工调整或退还, TRANSFER 转赠.',
})

export const RedemptionStatusEnum = builder.enumType(RedemptionStatus, {
  name: 'RedemptionStatus',
  description: 'State of a redemption (兑换状态): PENDING 待领取, FULFILLED 已领取, CANCELLED 已取消（积分已退还）.',
})

export const MicroWishStatusEnum = builder.enumType(MicroWishStatus, {
  name: 'MicroWishStatus',
  description:
    'State of a micro-wish (微心愿状态): OPEN 待认领, CLAIMED 已认领, FULFILLED 已实现（待确认）, CONFIRMED 已确认, CANCELLED 已取消.',
})

// ---------------------------------------------------------------- errors

builder.objectType(ActivityFullError, {
  name: 'ActivityFull',
  interfaces: [ErrorInterface],
  description: 'Every place of the activity is taken (名额已满).',
  isTypeOf: (e) => e instanceof ActivityFullError,
  fields: (t) => ({ capacity: t.exposeInt('capacity', { description: 'Places of the activity (活动名额).' }) }),
})

builder.objectType(AlreadySignedUpError, {
  name: 'AlreadySignedUp',
  interfaces: [ErrorInterface],
  description: 'You already hold a signup for this activity (已报名).',
  isTypeOf: (e) => e instanceof AlreadySignedUpError,
  fields: (t) => ({
    signupId: t.globalID({
      description: 'The signup you hold (现有报名).',
      resolve: (e) => ({ type: 'ActivitySignup', id: e.signupId }),
    }),
  }),
})

builder.objectType(OutsideTimeWindowError, {
  name: 'OutsideTimeWindow',
  interfaces: [ErrorInterface],
  description: 'Not possible at this time, e.g. self check-in before the window opens (不在可操作时段).',
  isTypeOf: (e) => e instanceof OutsideTimeWindowError,
})

builder.objectType(InsufficientPointsError, {
  name: 'InsufficientPoints',
  interfaces: [ErrorInterface],
  description: 'The balance does not cover the points; nothing was moved (积分不足).',
  isTypeOf: (e) => e instanceof InsufficientPointsError,
  fields: (t) => ({
    balance: t.exposeInt('balance', { description: 'The balance when refused (当前余额).' }),
    required: t.exposeInt('required', { description: 'Points asked for (所需积分).' }),
  }),
})

builder.objectType(OutOfStockError, {
  name: 'OutOfStock',
  interfaces: [ErrorInterface],
  description: 'Not enough pieces in stock (库存不足).',
  isTypeOf: (e) => e instanceof OutOfStockError,
  fields: (t) => ({ stock: t.exposeInt('stock', { description: 'Pieces left (剩余库存).' }) }),
})

// ---------------------------------------------------------------- timeline

builder.prismaNode('VolunteerEvent', {
  nullable: true,
  id: nodeId,
  description:
    'One step in the timeline of an activity, signup, redemption, micro-wish, team or reward item (志愿服务操作记录).',
  fields: (t) => ({
    entity: t.exposeString('entity', {
      description:
        'Kind of row: VolunteerActivity, ActivitySignup, Redemption, MicroWish, VolunteerTeam, RewardItem (对象类型).',
    }),
    action: t.exposeString('action', {
      description: 'What was done, e.g. SIGN_UP, CHECK_IN, COMPLETE, CLAIM, CONFIRM (动作).',
    }),
    fromStatus: t.exposeString('fromStatus', { nullable: true, description: 'State before (原状态).' }),
    toStatus: t.exposeString('toStatus', { nullable: true, description: 'State after (新状态).' }),
    note: t.exposeString('note', { nullable: true, description: 'Reason or comment (说明).' }),
    actor: t.prismaField({
      type: 'User',
      nullable: true,
      description: 'Who did it (操作人).',
      resolve: (query, e, _a, ctx) => optionalRowById(ctx, 'user', query, e.actorId),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When (时间).' }),
  }),
})

/** Options of the `timeline` relation of a row of the module: every step the viewer may read, oldest first. */
export const TIMELINE = { query: { orderBy: [{ createdAt: 'asc' as const }, { id: 'asc' as const }] } }

/** Common mutation input field: the client's idempotency key. */
export const IDEMPOTENCY_KEY_DESCRIPTION =
  'Idempotency key chosen by the client, e.g. a UUID (8–100 characters); a retry with the same key returns the first result and moves no points again (幂等键).'
