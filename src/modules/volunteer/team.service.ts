// Volunteer teams (志愿服务队): created by the officers of their home community, led by a leader;
// people join and leave themselves, or the leader or an officer adds and removes them.
import { z } from 'zod'
import type { Context } from '../../context.js'
import { isUniqueViolation } from '../../db.js'
import { ConflictError, ForbiddenError, NotFoundError, ValidationFailedError } from '../../shared/errors.js'
import { updateVersioned } from '../../shared/versioned.js'
import { parseInput } from '../../shared/validate.js'
import { appendEvent } from './events.js'

const KINDS = ['PARTY_VANGUARD', 'RAINBOW', 'VETERANS', 'YOUTH', 'ELDERLY_CARE', 'OTHER'] as const
const name = z.string().trim().min(2, 'at least 2 characters').max(60)
const description = z.string().trim().max(1000).nullish()

const createSchema = z.object({
  name,
  kind: z.enum(KINDS),
  description,
  communityId: z.string(),
  leaderId: z.string().nullish(),
})

async function activeUser(ctx: Context, id: string, path: string) {
  const u = await ctx.prisma.user.findUnique({ where: { id }, select: { id: true, active: true } })
  if (!u?.active) throw new ValidationFailedError([{ path, message: 'no active account with this id' }])
  return u
}

export async function createTeam(ctx: Context, input: z.input<typeof createSchema>) {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(createSchema, input)
  const community = await ctx.prisma.region.findUnique({ where: { id: data.communityId } })
  if (community?.level !== 'COMMUNITY')
    throw new ValidationFailedError([{ path: 'communityId', message: 'not a community' }])
  if (!(await ctx.access.managesRegion(community.id)))
    throw new ForbiddenError('Officers of the community create its teams')
  if (data.leaderId) await activeUser(ctx, data.leaderId, 'leaderId')
  return ctx.prisma.$transaction(async (tx) => {
    const team = await tx.volunteerTeam.create({
      data: {
        name: data.name,
        kind: data.kind,
        description: data.description ?? null,
        communityId: community.id,
        leaderId: data.leaderId ?? null,
      },
    })
    if (data.leaderId) await tx.volunteerTeamMember.create({ data: { teamId: team.id, userId: data.leaderId } })
    await appendEvent(tx, {
      entity: 'VolunteerTeam',
      entityId: team.id,
      actorId: viewer.userId,
      action: 'CREATE',
      note: team.name,
    })
    return team
  })
}

async function loadTeam(ctx: Context, id: string) {
  const team = await ctx.reader.volunteerTeam.findUnique({ where: { id } })
  if (!team) throw new NotFoundError('VolunteerTeam', id)
  return team
}

const updateSchema = z.object({
  id: z.string(),
  version: z.number().int().min(0),
  name: name.nullish(),
  kind: z.enum(KINDS).nullish(),
  description,
  leaderId: z.string().nullish(),
  active: z.boolean().nullish(),
})

export async function updateTeam(ctx: Context, input: z.input<typeof updateSchema>) {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(updateSchema, input)
  const team = await loadTeam(ctx, data.id)
  const officer = await ctx.access.managesRegion(team.communityId)
  if (!officer && team.leaderId !== viewer.userId)
    throw new ForbiddenError("The leader or the community's officers change a team")
  if ((data.leaderId !== undefined || data.active != null) && !officer)
    throw new ForbiddenError("Officers change a team's leader or close it")
  if (data.leaderId) await activeUser(ctx, data.leaderId, 'leaderId')
  return ctx.prisma.$transaction(async (tx) => {
    const updated = await updateVersioned(tx.volunteerTeam, 'VolunteerTeam', team.id, data.version, {
      ...(data.name ? { name: data.name } : {}),
      ...(data.kind ? { kind: data.kind } : {}),
      ...(data.description !== undefined ? { description: data.description } : {}),
      ...(data.leaderId !== undefined ? { leaderId: data.leaderId } : {}),
      ...(data.active != null ? { active: data.active } : {}),
    })
    if (data.leaderId)
      await tx.volunteerTeamMember.createMany({
        data: [{ teamId: team.id, userId: data.leaderId }],
        skipDuplicates: true,
      })
    await appendEvent(tx, { entity: 'VolunteerTeam', entityId: team.id, actorId: viewer.userId, action: 'UPDATE' })
    return updated
  })
}

const membershipSchema = z.object({ teamId: z.string(), userId: z.string().nullish(), member: z.boolean() })

/** Joins or leaves a team: oneself, or anyone by the team's leader or an officer of its community. */
export async function setTeamMembership(ctx: Context, input: z.input<typeof membershipSchema>) {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(membershipSchema, input)
  const team = await loadTeam(ctx, data.teamId)
  const userId = data.userId ?? viewer.userId
  if (
    userId !== viewer.userId &&
    team.leaderId !== viewer.userId &&
    !(await ctx.access.managesRegion(team.communityId))
  ) {
    throw new ForbiddenError("Only the leader or the community's officers add or remove others")
  }
  if (data.member && !team.active) throw new ValidationFailedError([{ path: 'teamId', message: 'the team is closed' }])
  await activeUser(ctx, userId, 'userId')
  try {
    await ctx.prisma.$transaction(async (tx) => {
      if (data.member) {
        await tx.volunteerTeamMember.create({ data: { teamId: team.id, userId } })
      } else {
        const { count } = await tx.volunteerTeamMember.updateMany({
          where: { teamId: team.id, userId, activeSlot: true },
          data: { activeSlot: null, leftAt: new Date() },
        })
        if (count === 0) throw new ValidationFailedError([{ path: 'userId', message: 'not a member of the team' }])
      }
      await appendEvent(tx, {
        entity: 'VolunteerTeam',
        entityId: team.id,
        actorId: viewer.userId,
        action: data.member ? 'JOIN' : 'LEAVE',
        note: userId,
      })
    })
  } catch (e) {
    if (isUniqueViolation(e)) throw new ConflictError('Already a member of the team')
    throw e
  }
  return team
}
