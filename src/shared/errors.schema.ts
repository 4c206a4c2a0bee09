import { builder } from '../builder.js'
import {
  BaseError,
  ConflictError,
  ForbiddenError,
  InvalidTransitionError,
  NotFoundError,
  StaleVersionError,
  ValidationFailedError,
  type FieldIssue,
} from './errors.js'

export const ErrorInterface = builder.interfaceRef<BaseError>('Error').implement({
  description: 'An expected failure of a mutation, with a stable code (业务错误).',
  fields: (t) => ({
    message: t.exposeString('message', { description: 'Human-readable explanation (错误说明).' }),
    code: t.exposeString('code', { description: 'Stable machine-readable code, `domain/reason` (错误码).' }),
  }),
})

builder.objectType(BaseError, {
  name: 'BaseError',
  interfaces: [ErrorInterface],
  description: 'A generic expected failure (通用业务错误).',
  isTypeOf: (e) => e instanceof BaseError,
})

builder.objectType(NotFoundError, {
  name: 'NotFound',
  interfaces: [ErrorInterface],
  description: 'The object does not exist or is not visible to you (对象不存在或无权查看).',
  isTypeOf: (e) => e instanceof NotFoundError,
  fields: (t) => ({ entity: t.exposeString('entity', { description: 'The kind of object (对象类型).' }) }),
})

builder.objectType(ForbiddenError, {
  name: 'Forbidden',
  interfaces: [ErrorInterface],
  description: 'Your role or scope does not allow this (无权操作).',
  isTypeOf: (e) => e instanceof ForbiddenError,
})

const FieldIssueRef = builder.objectRef<FieldIssue>('FieldIssue').implement({
  description: 'One invalid input field (字段校验问题).',
  fields: (t) => ({
    path: t.exposeString('path', { description: 'Dotted path of the field in the input (字段路径).' }),
    message: t.exposeString('message', { description: 'What is wrong with it (问题说明).' }),
  }),
})

builder.objectType(ValidationFailedError, {
  name: 'ValidationFailed',
  interfaces: [ErrorInterface],
  description: 'The input is not valid; nothing was changed (输入校验失败，未做任何修改).',
  isTypeOf: (e) => e instanceof ValidationFailedError,
  fields: (t) => ({
    issues: t.field({
      type: [FieldIssueRef],
      resolve: (e) => e.issues,
      description: 'Each invalid field (各字段问题).',
    }),
  }),
})

builder.objectType(StaleVersionError, {
  name: 'StaleVersion',
  interfaces: [ErrorInterface],
  description: 'Someone changed the object since you read it; reload and retry (版本冲突，请刷新后重试).',
  isTypeOf: (e) => e instanceof StaleVersionError,
  fields: (t) => ({
    entity: t.exposeString('entity', { description: 'The kind of object (对象类型).' }),
    expectedVersion: t.exposeInt('expectedVersion', { description: 'The version you sent (提交的版本).' }),
    actualVersion: t.exposeInt('actualVersion', { nullable: true, description: 'The current version (当前版本).' }),
  }),
})

builder.objectType(InvalidTransitionError, {
  name: 'InvalidTransition',
  interfaces: [ErrorInterface],
  description: 'The action is not allowed in the current state, or not for your role (当前状态不允许该操作).',
  isTypeOf: (e) => e instanceof InvalidTransitionError,
  fields: (t) => ({
    entity: t.exposeString('entity', { description: 'The kind of object (对象类型).' }),
    from: t.exposeString('from', { description: 'The current state (当前状态).' }),
    action: t.exposeString('action', { description: 'The refused action (被拒绝的操作).' }),
  }),
})

builder.objectType(ConflictError, {
  name: 'Conflict',
  interfaces: [ErrorInterface],
  description: 'The change conflicts with existing data, e.g. a duplicate code (数据冲突，如编码重复).',
  isTypeOf: (e) => e instanceof ConflictError,
})
