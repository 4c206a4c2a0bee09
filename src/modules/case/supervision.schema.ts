import { builder } from '../../builder.js'
import { nodeId, exposeVersion, filterArg, anyStatus } from '../../shared/schema-fields.js'
import { SupervisionKind, SupervisionStatus } from '../../generated/prisma/enums.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Context } from '../../context.js'
import { payload, rowMutations, stepInputs, withNote } from '../../shared/mutations.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { CaseRef } from './case.schema.js'
import * as supervisions from './supervision.service.js'
import { UNANSWERED } from './supervision.transitions.js'

const SupervisionKindEnum = builder.enumType(SupervisionKind, {
  name: 'SupervisionKind',
  description: 'What is overdue (督办原因): SIGN_OVERDUE 超时未签收, COMPLETION_OVERDUE 超时未办结.',
})
const SupervisionStatusEnum = builder.enumType(SupervisionStatus, {
  name: 'SupervisionStatus',
  description:
    'Where the addressee stands with a supervision notice (督办状态): OPEN 待签收, ACKNOWLEDGED 已签收待答复, ANSWERED 已答复.',
})

export const SupervisionRef = builder.prismaNode('Supervision', {
  nullable: true,
  id: nodeId,
  description:
    'A supervision notice on overdue work (督办); the level rises when it repeats. The addressee of the overdue order signs for it and answers it (签收、答复).',
  select: { id: true }, // only the columns a query asks for
  fields: (t) => ({
    case: t.relation('case', { description: 'The case (案件).' }),
    order: t.relation('order', { nullable: true, description: 'The overdue order (超期派单).' }),
    kind: t.expose('kind', { type: SupervisionKindEnum, description: 'What is overdue (原因).' }),
    level: t.exposeInt('level', { description: 'Level: 1 the dispatching level, higher = escalated (督办级别).' }),
    region: t.relation('region', { description: 'The region whose officers are notified (督办层级).' }),
    note: t.exposeString('note', { description: 'Notice text (督办内容).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Raised at (督办时间).' }),
    status: t.expose('status', {
      type: SupervisionStatusEnum,
      description: 'Signed for and answered yet? (督办状态).',
    }),
    acknowledgedAt: t.expose('acknowledgedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the addressee signed for it (签收时间).',
    }),
    acknowledgedBy: t.relation('acknowledgedBy', { nullable: true, description: 'Who signed for it (签收人).' }),
    answer: t.exposeString('answer', {
      nullable: true,
      description: "The addressee's answer: why the work is late and what it will do (答复：超期原因与整改措施).",
    }),
    promisedBy: t.expose('promisedBy', {
      type: 'DateTime',
      nullable: true,
      description: 'The date the addressee promises to finish by (承诺办结时间).',
    }),
    answeredAt: t.expose('answeredAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was answered (答复时间).',
    }),
    answeredBy: t.relation('answeredBy', { nullable: true, description: 'Who answered it (答复人).' }),
    version: exposeVersion(t),
  }),
})

const SupervisionFilter = builder.inputType('SupervisionFilter', {
  description: 'Filters for supervision notices (督办筛选).',
  fields: (t) => ({
    status: anyStatus(t, SupervisionStatusEnum),
    answered: t.boolean({
      required: false,
      description:
        "true: only answered ones; false: only those still waiting for the addressee's answer, signed for or not (是否已答复).",
    }),
  }),
})

type SupervisionListArgs = { caseId?: { id: string } | null; filter?: typeof SupervisionFilter.$inferInput | null }

/** The `where` of the supervision filters. */
function supervisionWhere({ caseId, filter: f }: SupervisionListArgs): Prisma.SupervisionWhereInput {
  const and: Prisma.SupervisionWhereInput[] = [
    caseId ? { caseId: caseId.id } : {},
    f?.status?.length ? { status: { in: f.status } } : {},
    f?.answered === true ? { status: 'ANSWERED' } : {},
    f?.answered === false ? { status: { in: [...UNANSWERED] } } : {},
  ]
  return { AND: and.filter((w) => Object.keys(w).length) }
}

builder.queryFields((t) => ({
  supervisions: t.prismaConnection(
    {
      type: 'Supervision',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description:
        'Supervision notices on work you may see, newest first (督办列表); `filter: { answered: false }` lists those still waiting for an answer (待答复).',
      args: {
        caseId: t.arg.globalID({ required: false, for: CaseRef, description: 'Only this case (案件).' }),
        filter: filterArg(t.arg, SupervisionFilter),
      },
      ...rootList('supervision', (args: SupervisionListArgs, _ctx: Context) => ({
        where: supervisionWhere(args),
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] satisfies Prisma.SupervisionOrderByWithRelationInput[],
      })),
    },
    COUNTED,
  ),
}))

// ---------------------------------------------------------------- mutations

const supervisionStepInput = stepInputs(SupervisionRef, 'The supervision notice (督办).')
const AcknowledgeInput = supervisionStepInput(
  'AcknowledgeSupervisionInput',
  'Signs for a supervision notice (签收督办).',
  withNote,
)
const AnswerInput = supervisionStepInput(
  'AnswerSupervisionInput',
  'Answers a supervision notice you signed for (答复督办): why the work is late and what you will do.',
  (t) => ({
    answer: t.string({
      required: true,
      description: 'Why the work is late and what will be done, 5–5000 characters (超期原因与整改措施).',
    }),
    promisedBy: t.field({
      type: 'DateTime',
      required: false,
      description: 'The date you promise to finish by, within a year (承诺办结时间).',
    }),
  }),
)

const supervisionMutation = rowMutations(
  'Supervision',
  payload('supervision', 'The supervision notice after the change (变更后的督办).'),
)
supervisionMutation('acknowledgeSupervision', {
  description: 'The addressee of the overdue order signs for a supervision notice (签收督办); once.',
  authScopes: { departmentStaff: true, gridWorker: true },
  input: AcknowledgeInput,
  run: supervisions.acknowledgeSupervision,
})
supervisionMutation('answerSupervision', {
  description:
    'The addressee answers a supervision notice it signed for (答复督办): why the work is late, what it will do and by when; once.',
  authScopes: { departmentStaff: true, gridWorker: true },
  input: AnswerInput,
  run: supervisions.answerSupervision,
})
