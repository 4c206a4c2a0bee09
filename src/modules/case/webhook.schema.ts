// Department webhooks (DESIGN §6): endpoints, their deliveries and attempts, and their
// administration. The signing secret is shown once (at registration and at each rotation) and the
// delivered bodies never: a delivery exposes its bookkeeping only.
import { builder } from '../../builder.js'
import { readVersion, exposeVersion } from '../../shared/schema-fields.js'
import { WebhookDeliveryStatus } from '../../generated/prisma/enums.js'
import { COUNTED } from '../../shared/connections.js'
import { payload, rowMutations } from '../../shared/mutations.js'
import { DepartmentRef } from '../directory/directory.schema.js'
import * as webhooks from './webhook.service.js'

const WebhookDeliveryStatusEnum = builder.enumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'State of a webhook delivery (投递状态): PENDING 待投递/重试中, SUCCEEDED 已送达, FAILED 已放弃.',
})

export const WebhookEndpointRef = builder.prismaObject('WebhookEndpoint', {
  description: "A department's outbound webhook for new dispatch orders (部门回调地址).",
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Row ID (编号).' }),
    department: t.relation('department', { description: 'The department (部门).' }),
    url: t.exposeString('url', { description: 'Where orders are POSTed (回调地址).' }),
    active: t.exposeBoolean('active', { description: 'Receiving deliveries (是否启用).' }),
    deliveries: t.relatedConnection(
      'deliveries',
      {
        cursor: 'id',
        totalCount: true,
        args: {
          status: t.arg({
            type: [WebhookDeliveryStatusEnum],
            required: false,
            description: 'Any of these states (状态).',
          }),
        },
        query: (args) => ({
          where: args.status?.length ? { status: { in: args.status } } : {},
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        }),
        description: 'Orders queued for this endpoint and how their delivery went, newest first (投递记录).',
      },
      COUNTED,
    ),
    version: exposeVersion(t),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Registered at (登记时间).' }),
  }),
})

builder.prismaObject('WebhookDelivery', {
  description:
    'One order queued for one webhook, retried with backoff until it succeeds or gives up (回调投递). ' +
    'The body sent is not shown.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Row ID, sent as the X-Gongzhi-Delivery header (投递编号).' }),
    event: t.exposeString('event', { description: 'Event name, e.g. dispatchOrder.created (事件).' }),
    status: t.expose('status', { type: WebhookDeliveryStatusEnum, description: 'State (状态).' }),
    attemptCount: t.exposeInt('attemptCount', { description: 'Attempts made so far (已尝试次数).' }),
    nextAttemptAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the next attempt is due, while PENDING (下次尝试时间).',
      resolve: (d) => (d.status === 'PENDING' ? d.nextAttemptAt : null),
    }),
    deliveredAt: t.expose('deliveredAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the receiver accepted it (送达时间).',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Queued at (入队时间).' }),
    order: t.relation('order', {
      nullable: true,
      description: 'The dispatch order delivered, when you may see it (派单).',
    }),
    attempts: t.relation('attempts', {
      query: { orderBy: { attemptNo: 'asc' } },
      description: 'Every attempt, first to last (尝试记录).',
    }),
  }),
})

builder.prismaObject('WebhookAttempt', {
  description: 'One HTTP attempt of a delivery (投递尝试).',
  fields: (t) => ({
    attemptNo: t.exposeInt('attemptNo', { description: 'Attempt number, from 1 (第几次).' }),
    statusCode: t.exposeInt('statusCode', {
      nullable: true,
      description: 'HTTP status the receiver answered, if it answered (响应状态码).',
    }),
    error: t.exposeString('error', {
      nullable: true,
      description: 'Why it failed: HTTP status, timeout, refused address or network error; null on success (失败原因).',
    }),
    durationMs: t.exposeInt('durationMs', { description: 'How long it took, milliseconds (耗时，毫秒).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Made at (尝试时间).' }),
  }),
})

const RegisteredWebhookRef = builder
  .objectRef<{ endpoint: { id: string }; secret: string }>('RegisteredWebhook')
  .implement({
    description: 'A new webhook and its signing secret, shown only once (新登记的回调及签名密钥，仅显示一次).',
    fields: (t) => ({
      endpoint: t.prismaField({
        type: 'WebhookEndpoint',
        description: 'The endpoint (回调).',
        resolve: (query, r, _a, ctx) =>
          ctx.reader.webhookEndpoint.findUniqueOrThrow({ ...query, where: { id: r.endpoint.id } }),
      }),
      secret: t.exposeString('secret', {
        description: 'HMAC-SHA256 key for the X-Gongzhi-Signature header (签名密钥).',
      }),
    }),
  })

builder.queryFields((t) => ({
  webhookEndpoints: t.prismaField({
    type: ['WebhookEndpoint'],
    authScopes: { admin: true, departmentStaff: true },
    description: 'Webhooks of your department (admins: all) (部门回调列表).',
    resolve: (query, _r, _a, ctx) => ctx.reader.webhookEndpoint.findMany({ ...query, orderBy: { createdAt: 'asc' } }),
  }),
}))

// ---------------------------------------------------------------- mutations

const RegisterWebhookInput = builder.inputType('RegisterWebhookInput', {
  description: 'Registers a department webhook for new orders (登记部门回调).',
  fields: (t) => ({
    departmentId: t.globalID({ required: true, for: DepartmentRef, description: 'The department (部门).' }),
    url: t.string({ required: true, description: 'http(s) URL that receives POSTs (回调地址).' }),
  }),
})

const endpointInput = (name: string, description: string) =>
  builder.inputType(name, {
    description,
    fields: (t) => ({
      id: t.id({ required: true, description: "The webhook's row ID, as WebhookEndpoint.id (回调编号)." }),
      version: readVersion(t),
    }),
  })
const DeactivateWebhookInput = endpointInput(
  'DeactivateWebhookInput',
  'Stops a webhook: no more orders are POSTed to it (停用部门回调).',
)
const RotateWebhookSecretInput = endpointInput(
  'RotateWebhookSecretInput',
  "Replaces a webhook's signing secret (更换回调签名密钥).",
)

const ENDPOINT_SCOPES = { admin: true, departmentStaff: true }

builder.mutationFields((t) => ({
  registerWebhook: t.field({
    type: RegisteredWebhookRef,
    description: 'Registers a webhook for a department (登记部门回调). The secret is returned once.',
    authScopes: ENDPOINT_SCOPES,
    errors: payload('webhook', 'The webhook and its secret (回调及密钥).'),
    args: { input: t.arg({ type: RegisterWebhookInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      webhooks.registerWebhook(ctx, { departmentId: input.departmentId.id, url: input.url }),
  }),
  rotateWebhookSecret: t.field({
    type: RegisteredWebhookRef,
    authScopes: ENDPOINT_SCOPES,
    errors: payload('webhook', 'The webhook and its new secret (回调及新密钥).'),
    description:
      "Replaces an active webhook's signing secret (更换回调签名密钥); " +
      'the new secret is returned once and signs every delivery after it.',
    args: { input: t.arg({ type: RotateWebhookSecretInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      webhooks.rotateWebhookSecret(ctx, { id: String(input.id), version: input.version }),
  }),
}))

rowMutations('WebhookEndpoint', payload('webhook', 'The webhook after the change (变更后的回调).'))(
  'deactivateWebhook',
  {
    description:
      'Stops a webhook (停用部门回调): its queued and future orders are no longer delivered. ' +
      'An inactive one answers InvalidTransition.',
    authScopes: ENDPOINT_SCOPES,
    input: DeactivateWebhookInput,
    run: webhooks.deactivateWebhook,
  },
)
