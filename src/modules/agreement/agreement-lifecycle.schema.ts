import { builder } from '../../builder.js'
import { readVersion, timelineNote } from '../../shared/schema-fields.js'
import * as agreements from './agreement.service.js'
import { ResidentUnitRef } from '../directory/directory.schema.js'
import { PartyOrgRef } from '../party/party.schema.js'
import { JointAgreementRef, agreementResult } from './agreement.schema.js'
import { AgreementItemInput, AgreementItemRef, itemIds } from './agreement-item.schema.js'

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

const UpdateJointAgreementInput = builder.inputType('UpdateJointAgreementInput', {
  description: 'Edits a draft (修改协议草稿); only the fields given change.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: JointAgreementRef, description: 'The agreement (协议).' }),
    version: readVersion(t),
    title: t.string({ required: false, description: 'Title (协议名称).' }),
    summary: t.string({ required: false, description: 'Summary (协议摘要).' }),
    startsAt: t.field({ type: 'DateTime', required: false, description: 'Start of the term (期限起).' }),
    endsAt: t.field({ type: 'DateTime', required: false, description: 'End of the term (期限止).' }),
    documents: t.stringList({ required: false, description: 'Document URLs, replacing the list (协议文本地址).' }),
    note: timelineNote(t),
  }),
})

const AddAgreementPartyInput = builder.inputType('AddAgreementPartyInput', {
  description: 'Adds a unit to a draft (增加共建单位).',
  fields: (t) => ({
    id: t.globalID({ required: true, for: JointAgreementRef, description: 'The agreement (协议).' }),
    version: readVersion(t),
    party: t.field({ type: AgreementPartyInput, required: true, description: 'The unit (共建单位).' }),
  }),
})

const AddAgreementItemInput = builder.inputType('AddAgreementItemInput', {
  description: 'Adds an item to a draft (增加共建事项).',
  fields: (t) => ({
    id: t.globalID({ required: true, for: JointAgreementRef, description: 'The agreement (协议).' }),
    version: readVersion(t),
    item: t.field({ type: AgreementItemInput, required: true, description: 'The item (共建事项).' }),
  }),
})

const CancelAgreementItemInput = builder.inputType('CancelAgreementItemInput', {
  description: 'Cancels an item of a draft; it stays on record (撤销共建事项).',
  fields: (t) => ({
    itemId: t.globalID({ required: true, for: AgreementItemRef, description: 'The item (事项).' }),
    version: t.int({ required: true, description: 'The version you read of its agreement (协议版本号).' }),
    reason: t.string({ required: true, description: 'Why (原因).' }),
  }),
})

const ConfirmAgreementPartyInput = builder.inputType('ConfirmAgreementPartyInput', {
  description: "A party unit's contact confirms the draft for the unit (单位确认协议).",
  fields: (t) => ({
    id: t.globalID({ required: true, for: JointAgreementRef, description: 'The agreement (协议).' }),
    version: readVersion(t),
    signatoryName: t.string({ required: true, description: 'Who signs for the unit (单位签署人).' }),
  }),
})

const SignJointAgreementInput = builder.inputType('SignJointAgreementInput', {
  description: 'Records the signing (签订协议): needs at least one item and a signatory for every unit.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: JointAgreementRef, description: 'The agreement (协议).' }),
    version: readVersion(t),
    signedAt: t.field({ type: 'DateTime', required: false, description: 'Signing date; now by default (签订日期).' }),
    documents: t.stringList({
      required: false,
      description: 'URLs of the signed documents, added to the list (签署文本地址).',
    }),
    note: timelineNote(t),
  }),
})

const ActivateJointAgreementInput = builder.inputType('ActivateJointAgreementInput', {
  description: 'Puts a signed agreement in force (协议生效); refused once its term has ended.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: JointAgreementRef, description: 'The agreement (协议).' }),
    version: readVersion(t),
    note: timelineNote(t),
  }),
})

const TerminateJointAgreementInput = builder.inputType('TerminateJointAgreementInput', {
  description: 'Terminates a draft, signed or active agreement with a reason (终止协议).',
  fields: (t) => ({
    id: t.globalID({ required: true, for: JointAgreementRef, description: 'The agreement (协议).' }),
    version: readVersion(t),
    reason: t.string({ required: true, description: 'Why (终止原因).' }),
  }),
})

const partyIds = (p: {
  unitId: { typename: string; id: string }
  unitOrgId?: { typename: string; id: string } | null
  signatoryName?: string | null
}) => ({
  unitId: p.unitId.id,
  unitOrgId: p.unitOrgId?.id ?? null,
  signatoryName: p.signatoryName,
})

builder.mutationFields((t) => ({
  createJointAgreement: t.field({
    type: JointAgreementRef,
    description: "Drafts an agreement (草拟共建协议): officers of the party organisation's region.",
    authScopes: { officer: true },
    errors: agreementResult,
    args: { input: t.arg({ type: CreateJointAgreementInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      agreements.createJointAgreement(ctx, {
        ...input,
        partyOrgId: input.partyOrgId.id,
        parties: input.parties.map(partyIds),
        items: input.items?.map(itemIds),
      }),
  }),
  updateJointAgreement: t.field({
    type: JointAgreementRef,
    description: 'Edits a draft (修改协议草稿).',
    authScopes: { officer: true },
    errors: agreementResult,
    args: { input: t.arg({ type: UpdateJointAgreementInput, required: true }) },
    resolve: (_r, { input }, ctx) => agreements.updateJointAgreement(ctx, { ...input, id: input.id.id }),
  }),
  addAgreementParty: t.field({
    type: JointAgreementRef,
    description: 'Adds a unit to a draft (增加共建单位).',
    authScopes: { officer: true },
    errors: agreementResult,
    args: { input: t.arg({ type: AddAgreementPartyInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      agreements.addAgreementParty(ctx, { id: input.id.id, version: input.version, party: partyIds(input.party) }),
  }),
  addAgreementItem: t.field({
    type: JointAgreementRef,
    description: 'Adds an item to a draft (增加共建事项).',
    authScopes: { officer: true },
    errors: agreementResult,
    args: { input: t.arg({ type: AddAgreementItemInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      agreements.addAgreementItem(ctx, { id: input.id.id, version: input.version, item: itemIds(input.item) }),
  }),
  cancelAgreementItem: t.field({
    type: JointAgreementRef,
    description: 'Cancels an item of a draft (撤销共建事项).',
    authScopes: { officer: true },
    errors: agreementResult,
    args: { input: t.arg({ type: CancelAgreementItemInput, required: true }) },
    resolve: (_r, { input }, ctx) => agreements.cancelAgreementItem(ctx, { ...input, itemId: input.itemId.id }),
  }),
  confirmAgreementParty: t.field({
    type: JointAgreementRef,
    description: "A party unit's contact confirms the draft for the unit, naming its signatory (单位确认协议).",
    authScopes: { unitContact: true },
    errors: agreementResult,
    args: { input: t.arg({ type: ConfirmAgreementPartyInput, required: true }) },
    resolve: (_r, { input }, ctx) => agreements.confirmAgreementParty(ctx, { ...input, id: input.id.id }),
  }),
}))

builder.mutationFields((t) => ({
  signJointAgreement: t.field({
    type: JointAgreementRef,
    description:
      "Records the signing (签订协议): officers of the region; at least one item and every unit's signatory.",
    authScopes: { officer: true },
    errors: agreementResult,
    args: { input: t.arg({ type: SignJointAgreementInput, required: true }) },
    resolve: (_r, { input }, ctx) => agreements.signJointAgreement(ctx, { ...input, id: input.id.id }),
  }),
  activateJointAgreement: t.field({
    type: JointAgreementRef,
    description: 'Puts a signed agreement in force (协议生效): officers of the region.',
    authScopes: { officer: true },
    errors: agreementResult,
    args: { input: t.arg({ type: ActivateJointAgreementInput, required: true }) },
    resolve: (_r, { input }, ctx) => agreements.activateJointAgreement(ctx, { ...input, id: input.id.id }),
  }),
  terminateJointAgreement: t.field({
    type: JointAgreementRef,
    description: 'Terminates an agreement with a reason (终止协议): officers of the region.',
    authScopes: { officer: true },
    errors: agreementResult,
    args: { input: t.arg({ type: TerminateJointAgreementInput, required: true }) },
    resolve: (_r, { input }, ctx) => agreements.terminateJointAgreement(ctx, { ...input, id: input.id.id }),
  }),
}))
