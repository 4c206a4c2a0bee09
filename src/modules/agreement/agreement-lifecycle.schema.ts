import { builder } from '../../builder.js'
import { timelineNote } from '../../shared/schema-fields.js'
import { stepInputs, withNote } from '../../shared/mutations.js'
import * as agreements from './agreement.service.js'
import { ResidentUnitRef } from '../directory/directory.schema.js'
import { PartyOrgRef } from '../party/party.schema.js'
import { JointAgreementRef, agreementMutation } from './agreement.schema.js'
import { AgreementItemInput, AgreementItemRef } from './agreement-item.schema.js'

// ---------------------------------------------------------------- mutations

const AgreementPartyInput = builder.inputType('AgreementPartyInput', {
  description: 'A resident unit joining an agreement (共建单位).',
  fields: (t) => ({
    unitId: t.globalID({
      required: true,
      for: ResidentUnitRef,
      description: "The resident unit, in the party organisation's area (驻区单位).",
    }),
    unitOrgId: t.globalID({
      required: false,
      for: PartyOrgRef,
      description: "Its party organisation; defaults to the unit's own (单位党组织).",
    }),
    signatoryName: t.string({
      required: false,
      description: 'Who signs for the unit, when known; otherwise the unit confirms (单位签署人).',
    }),
  }),
})

const CreateJointAgreementInput = builder.inputType('CreateJointAgreementInput', {
  description: "Drafts an agreement (草拟共建协议): officers of the party organisation's region.",
  fields: (t) => ({
    partyOrgId: t.globalID({
      required: true,
      for: PartyOrgRef,
      description: 'The street working committee or community committee (党组织).',
    }),
    title: t.string({ required: true, description: 'Title (协议名称).' }),
    summary: t.string({ required: false, description: 'Summary (协议摘要).' }),
    startsAt: t.field({ type: 'DateTime', required: true, description: 'Start of the term (期限起).' }),
    endsAt: t.field({ type: 'DateTime', required: true, description: 'End of the term, after the start (期限止).' }),
    documents: t.stringList({ required: false, description: 'Document URLs (协议文本地址).' }),
    parties: t.field({
      type: [AgreementPartyInput],
      required: true,
      description: 'The resident units, at least one (共建单位).',
    }),
    items: t.field({ type: [AgreementItemInput], required: false, description: 'Items (共建事项).' }),
    note: timelineNote(t),
  }),
})

const agreementStepInput = stepInputs(JointAgreementRef, 'The agreement (协议).')

const UpdateJointAgreementInput = agreementStepInput(
  'UpdateJointAgreementInput',
  'Edits a draft (修改协议草稿); only the fields given change.',
  (t) => ({
    title: t.string({ required: false, description: 'Title (协议名称).' }),
    summary: t.string({ required: false, description: 'Summary (协议摘要).' }),
    startsAt: t.field({ type: 'DateTime', required: false, description: 'Start of the term (期限起).' }),
    endsAt: t.field({ type: 'DateTime', required: false, description: 'End of the term (期限止).' }),
    documents: t.stringList({ required: false, description: 'Document URLs, replacing the list (协议文本地址).' }),
    note: timelineNote(t),
  }),
)

const AddAgreementPartyInput = agreementStepInput(
  'AddAgreementPartyInput',
  'Adds a unit to a draft (增加共建单位).',
  (t) => ({
    party: t.field({ type: AgreementPartyInput, required: true, description: 'The unit (共建单位).' }),
  }),
)

const AddAgreementItemInput = agreementStepInput(
  'AddAgreementItemInput',
  'Adds an item to a draft (增加共建事项).',
  (t) => ({
    item: t.field({ type: AgreementItemInput, required: true, description: 'The item (共建事项).' }),
  }),
)

// names the item, not the agreement, and the version of its agreement: not a step input
const CancelAgreementItemInput = builder.inputType('CancelAgreementItemInput', {
  description: 'Cancels an item of a draft; it stays on record (撤销共建事项).',
  fields: (t) => ({
    itemId: t.globalID({ required: true, for: AgreementItemRef, description: 'The item (事项).' }),
    version: t.int({ required: true, description: 'The version you read of its agreement (协议版本号).' }),
    reason: t.string({ required: true, description: 'Why (原因).' }),
  }),
})

const ConfirmAgreementPartyInput = agreementStepInput(
  'ConfirmAgreementPartyInput',
  "A party unit's contact confirms the draft for the unit (单位确认协议).",
  (t) => ({ signatoryName: t.string({ required: true, description: 'Who signs for the unit (单位签署人).' }) }),
)

const SignJointAgreementInput = agreementStepInput(
  'SignJointAgreementInput',
  'Records the signing (签订协议): needs at least one item and a signatory for every unit.',
  (t) => ({
    signedAt: t.field({ type: 'DateTime', required: false, description: 'Signing date; now by default (签订日期).' }),
    documents: t.stringList({
      required: false,
      description: 'URLs of the signed documents, added to the list (签署文本地址).',
    }),
    note: timelineNote(t),
  }),
)

const ActivateJointAgreementInput = agreementStepInput(
  'ActivateJointAgreementInput',
  'Puts a signed agreement in force (协议生效); refused once its term has ended.',
  withNote,
)

const TerminateJointAgreementInput = agreementStepInput(
  'TerminateJointAgreementInput',
  'Terminates a draft, signed or active agreement with a reason (终止协议).',
  (t) => ({ reason: t.string({ required: true, description: 'Why (终止原因).' }) }),
)

agreementMutation('createJointAgreement', {
  description: "Drafts an agreement (草拟共建协议): officers of the party organisation's region.",
  authScopes: { officer: true },
  input: CreateJointAgreementInput,
  run: agreements.createJointAgreement,
})
agreementMutation('updateJointAgreement', {
  description: 'Edits a draft (修改协议草稿).',
  authScopes: { officer: true },
  input: UpdateJointAgreementInput,
  run: agreements.updateJointAgreement,
})
agreementMutation('addAgreementParty', {
  description: 'Adds a unit to a draft (增加共建单位).',
  authScopes: { officer: true },
  input: AddAgreementPartyInput,
  run: agreements.addAgreementParty,
})
agreementMutation('addAgreementItem', {
  description: 'Adds an item to a draft (增加共建事项).',
  authScopes: { officer: true },
  input: AddAgreementItemInput,
  run: agreements.addAgreementItem,
})
agreementMutation('cancelAgreementItem', {
  description: 'Cancels an item of a draft (撤销共建事项).',
  authScopes: { officer: true },
  input: CancelAgreementItemInput,
  run: agreements.cancelAgreementItem,
})
agreementMutation('confirmAgreementParty', {
  description: "A party unit's contact confirms the draft for the unit, naming its signatory (单位确认协议).",
  authScopes: { unitContact: true },
  input: ConfirmAgreementPartyInput,
  run: agreements.confirmAgreementParty,
})
agreementMutation('signJointAgreement', {
  description: "Records the signing (签订协议): officers of the region; at least one item and every unit's signatory.",
  authScopes: { officer: true },
  input: SignJointAgreementInput,
  run: agreements.signJointAgreement,
})
agreementMutation('activateJointAgreement', {
  description: 'Puts a signed agreement in force (协议生效): officers of the region.',
  authScopes: { officer: true },
  input: ActivateJointAgreementInput,
  run: agreements.activateJointAgreement,
})
agreementMutation('terminateJointAgreement', {
  description: 'Terminates an agreement with a reason (终止协议): officers of the region.',
  authScopes: { officer: true },
  input: TerminateJointAgreementInput,
  run: agreements.terminateJointAgreement,
})
