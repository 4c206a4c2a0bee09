// Columns of the exports: a Chinese header for the people who open the file, the English name of
// the API field it holds (README "Exports" lists them), and how a row gives its value. Values are
// formatted by the writer: text as it is, numbers as numbers, times in Asia/Shanghai, yes/no as 是/否.
//
// cases.csv|xlsx (案件), one row per case you may read, newest first:
//   编号 id · 标题 title · 问题描述 description · 类别 category.name · 来源 source · 状态 status · 社区 region.name ·
//   网格 grid.name · 承办层级 handlingRegion.name · 上报层级次数 escalationLevel · 地址 location.address ·
//   经度 location.lng · 纬度 location.lat · 匿名 anonymous · 联系人 reporterName · 联系电话 reporterPhone ·
//   办理期限 deadline · 是否超期 overdue · 上报时间 createdAt · 更新时间 updatedAt · 结案时间 closedAt
// dispatch-orders.csv|xlsx (派单), one row per order you may read, newest first:
//   编号 id · 案件编号 case.id · 案件标题 case.title · 社区 case.region.name · 承办部门 department.name ·
//   承办网格员 assignee.displayName · 主办/协办 role · 派单方式 mode · 状态 status · 工作要求 instructions · 签收时限 signBy ·
//   办结时限 completeBy · 签收时间 signedAt · 报到时间 onSiteAt · 办结时间 completedAt · 办理结果 result · 退单理由 returnReason ·
//   督办级别 supervisionLevel · 是否超期 overdue · 派单时间 createdAt
// dual-reports.csv|xlsx (双报到), one row per report you may read, newest first:
//   编号 id · 类型 kind · 状态 status · 报到党员 member.name · 报到单位党组织 unitOrg.name · 报到社区 community.name ·
//   编入网格 grid.name · 编入网格党支部 branch.name · 服务岗位 serviceRole · 退回或撤回原因 reason · 提交时间 createdAt ·
//   审核时间 decidedAt · 终结时间 closedAt
// department-performance.csv|xlsx (部门考核), the rows of `departmentPerformance` (type DepartmentPerformance), best score first:
//   部门编码 department.code · 部门名称 department.name · then every figure by its GraphQL field (README lists them)
// grid-performance.csv|xlsx (网格考核), the rows of `gridPerformance` (type GridPerformance), by grid code:
//   网格编码 grid.code · 网格名称 grid.name · 社区 grid.community.name · then every figure by its GraphQL field
// volunteer-hours.csv|xlsx (志愿服务时长), one row per completed signup you may read (type ActivitySignup), newest first:
//   编号 id · 志愿者 user.displayName · 活动 activity.title · 社区 activity.community.name · 网格 activity.grid.name ·
//   活动开始 activity.startsAt · 活动结束 activity.endsAt · 完成时间 completedAt · 服务时长（小时） hours · 积分 points
// party-member-records.csv|xlsx (党员年度记录), one row per party member you may read and the year (type MemberServiceRecord):
//   党员编号 member.id · 姓名 member.name · 所属党组织 member.org.name · 居住社区 member.homeCommunity.name · 年度 year ·
//   then every figure by its GraphQL field

import type { DepartmentRow, GridRow } from '../assessment/assessment.service.js'
import type { YearRecord } from '../party/service-record.service.js'

/** A cell: text, a number, a yes/no, an instant, or empty. */
export type Cell = string | number | boolean | Date | null | undefined

export type CellKind = 'text' | 'number' | 'datetime' | 'boolean'

export interface Column<R> {
  /** The header people read (中文). */
  header: string
  /** The API field it holds (English, as a path from the listed type), as the README documents it. */
  field: string
  kind: CellKind
  /** Column width in the spreadsheet, in characters. */
  width?: number
  value(row: R): Cell
}

const text = <R>(header: string, field: string, value: (r: R) => string | null | undefined, width = 16): Column<R> => ({
  header,
  field,
  kind: 'text',
  width,
  value,
})
const number = <R>(
  header: string,
  field: string,
  value: (r: R) => number | null | undefined,
  width = 10,
): Column<R> => ({ header, field, kind: 'number', width, value })
const datetime = <R>(header: string, field: string, value: (r: R) => Date | null | undefined): Column<R> => ({
  header,
  field,
  kind: 'datetime',
  width: 20,
  value,
})
const yesNo = <R>(header: string, field: string, value: (r: R) => boolean | null | undefined): Column<R> => ({
  header,
  field,
  kind: 'boolean',
  width: 8,
  value,
})

/** The Chinese label of an enum value (the API's enum descriptions), or the value for a new one. */
const label = (labels: Record<string, string>) => (value: string | null | undefined) =>
  value ? (labels[value] ?? value) : null

export const caseStatus = label({
  REPORTED: '已上报',
  ACCEPTED: '已受理',
  REJECTED: '不予受理',
  DISPATCHED: '已派单',
  RESOLVED: '已办结',
  VERIFIED: '已核查',
  CLOSED: '已结案',
  REOPENED: '已重启',
  SUSPENDED: '已挂起',
})
export const caseSource = label({
  PATROL: '网格巡查',
  RESIDENT: '群众上报',
  HOTLINE: '热线',
  ONLINE: '网上',
  TRANSFER: '上级转办',
})
export const orderStatus = label({
  CREATED: '待签收',
  SIGNED: '已签收',
  ON_SITE: '已报到',
  COMPLETED: '已办结',
  RETURNED: '已退单',
  TRANSFERRED: '已转单',
  CANCELLED: '已撤销',
})
export const orderRole = label({ LEAD: '主办', ASSIST: '协办' })
export const orderMode = label({ MANUAL: '吹哨', AUTO: '自动派单' })
export const reportKind = label({ MEMBER: '党员', UNIT: '单位' })
export const reportStatus = label({
  SUBMITTED: '待审核',
  APPROVED: '已报到',
  REJECTED: '已退回',
  WITHDRAWN: '已撤回',
  TRANSFERRED: '已转接',
})

/** A related row's name, or null when there is none or the viewer may not read it. */
type Name = string | null

/** A case as the export reads it: its columns, with the reporter's contact already whole, masked or absent. */
export interface CaseRow {
  id: string
  title: string
  description: string
  source: string
  status: string
  category: Name
  region: Name
  grid: Name
  handlingRegion: Name
  escalationLevel: number
  address: string | null
  lng: number
  lat: number
  anonymous: boolean
  reporterName: string | null
  reporterPhone: string | null
  deadline: Date | null
  overdue: boolean
  createdAt: Date
  updatedAt: Date
  closedAt: Date | null
}

export const CASE_COLUMNS: Column<CaseRow>[] = [
  text('编号', 'id', (r) => r.id, 40),
  text('标题', 'title', (r) => r.title, 30),
  text('问题描述', 'description', (r) => r.description, 50),
  text('类别', 'category.name', (r) => r.category),
  text('来源', 'source', (r) => caseSource(r.source), 10),
  text('状态', 'status', (r) => caseStatus(r.status), 10),
  text('社区', 'region.name', (r) => r.region),
  text('网格', 'grid.name', (r) => r.grid),
  text('承办层级', 'handlingRegion.name', (r) => r.handlingRegion),
  number('上报层级次数', 'escalationLevel', (r) => r.escalationLevel),
  text('地址', 'location.address', (r) => r.address, 30),
  number('经度', 'location.lng', (r) => r.lng, 12),
  number('纬度', 'location.lat', (r) => r.lat, 12),
  yesNo('匿名', 'anonymous', (r) => r.anonymous),
  text('联系人', 'reporterName', (r) => r.reporterName, 10),
  text('联系电话', 'reporterPhone', (r) => r.reporterPhone, 14),
  datetime('办理期限', 'deadline', (r) => r.deadline),
  yesNo('是否超期', 'overdue', (r) => r.overdue),
  datetime('上报时间', 'createdAt', (r) => r.createdAt),
  datetime('更新时间', 'updatedAt', (r) => r.updatedAt),
  datetime('结案时间', 'closedAt', (r) => r.closedAt),
]

export interface OrderRow {
  id: string
  caseId: string
  caseTitle: string | null
  region: Name
  department: Name
  assignee: string | null
  role: string
  mode: string
  status: string
  instructions: string | null
  signBy: Date
  completeBy: Date
  signedAt: Date | null
  onSiteAt: Date | null
  completedAt: Date | null
  result: string | null
  returnReason: string | null
  supervisionLevel: number
  overdue: boolean
  createdAt: Date
}

export const ORDER_COLUMNS: Column<OrderRow>[] = [
  text('编号', 'id', (r) => r.id, 40),
  text('案件编号', 'case.id', (r) => r.caseId, 40),
  text('案件标题', 'case.title', (r) => r.caseTitle, 30),
  text('社区', 'case.region.name', (r) => r.region),
  text('承办部门', 'department.name', (r) => r.department),
  text('承办网格员', 'assignee.displayName', (r) => r.assignee, 10),
  text('主办/协办', 'role', (r) => orderRole(r.role), 8),
  text('派单方式', 'mode', (r) => orderMode(r.mode), 8),
  text('状态', 'status', (r) => orderStatus(r.status), 8),
  text('工作要求', 'instructions', (r) => r.instructions, 30),
  datetime('签收时限', 'signBy', (r) => r.signBy),
  datetime('办结时限', 'completeBy', (r) => r.completeBy),
  datetime('签收时间', 'signedAt', (r) => r.signedAt),
  datetime('报到时间', 'onSiteAt', (r) => r.onSiteAt),
  datetime('办结时间', 'completedAt', (r) => r.completedAt),
  text('办理结果', 'result', (r) => r.result, 30),
  text('退单理由', 'returnReason', (r) => r.returnReason, 20),
  number('督办级别', 'supervisionLevel', (r) => r.supervisionLevel, 8),
  yesNo('是否超期', 'overdue', (r) => r.overdue),
  datetime('派单时间', 'createdAt', (r) => r.createdAt),
]

export interface DualReportRow {
  id: string
  kind: string
  status: string
  member: Name
  unitOrg: Name
  community: Name
  grid: Name
  branch: Name
  serviceRole: string | null
  reason: string | null
  createdAt: Date
  decidedAt: Date | null
  closedAt: Date | null
}

export const DUAL_REPORT_COLUMNS: Column<DualReportRow>[] = [
  text('编号', 'id', (r) => r.id, 40),
  text('类型', 'kind', (r) => reportKind(r.kind), 8),
  text('状态', 'status', (r) => reportStatus(r.status), 8),
  text('报到党员', 'member.name', (r) => r.member, 10),
  text('报到单位党组织', 'unitOrg.name', (r) => r.unitOrg, 24),
  text('报到社区', 'community.name', (r) => r.community),
  text('编入网格', 'grid.name', (r) => r.grid),
  text('编入网格党支部', 'branch.name', (r) => r.branch, 20),
  text('服务岗位', 'serviceRole', (r) => r.serviceRole, 16),
  text('退回或撤回原因', 'reason', (r) => r.reason, 20),
  datetime('提交时间', 'createdAt', (r) => r.createdAt),
  datetime('审核时间', 'decidedAt', (r) => r.decidedAt),
  datetime('终结时间', 'closedAt', (r) => r.closedAt),
]

/** A department's figures (DepartmentPerformance), with the department's code and name. */
export interface DepartmentPerformanceRow extends DepartmentRow {
  code: string | null
  department: Name
}

/** A figure of DepartmentPerformance or GridPerformance: header, GraphQL field, the row's property. */
const figure = <R>(
  header: string,
  field: string,
  key: { [K in keyof R]: R[K] extends number | null ? K : never }[keyof R],
  width = 10,
): Column<R> => number(header, field, (r) => r[key] as number | null, width)

export const DEPARTMENT_PERFORMANCE_COLUMNS: Column<DepartmentPerformanceRow>[] = [
  text('部门编码', 'department.code', (r) => r.code, 12),
  text('部门名称', 'department.name', (r) => r.department, 20),
  figure('接单数', 'ordersReceived', 'received'),
  figure('撤单数', 'ordersCancelled', 'cancelled'),
  figure('计入考核的派单数', 'ordersCounted', 'counted'),
  figure('按时签收数', 'signedOnTimeCount', 'signedOnTime'),
  figure('应签收数', 'signingDueCount', 'signDue'),
  figure('签收及时率', 'signedOnTimePercent', 'signedOnTimePercent'),
  figure('按时办结数', 'completedOnTimeCount', 'completedOnTime'),
  figure('应办结数', 'completionDueCount', 'completionDue'),
  figure('办结及时率', 'completedOnTimePercent', 'completedOnTimePercent'),
  figure('退单数', 'returnedCount', 'returned'),
  figure('退单率', 'returnedPercent', 'returnedPercent'),
  figure('转单数', 'transferredCount', 'transferred'),
  figure('转单率', 'transferredPercent', 'transferredPercent'),
  figure('督办次数', 'supervisionCount', 'supervisions'),
  figure('一级督办数', 'supervisionsByLevel[0].count', 'supervisionsLevel1'),
  figure('二级督办数', 'supervisionsByLevel[1].count', 'supervisionsLevel2'),
  figure('三级督办数', 'supervisionsByLevel[2].count', 'supervisionsLevel3'),
  figure('被督办派单数', 'supervisedOrderCount', 'supervisedOrders'),
  figure('督办率', 'supervisedPercent', 'supervisedPercent'),
  figure('涉及案件数', 'caseCount', 'cases'),
  figure('被重办案件数', 'reopenedCaseCount', 'reopenedCases'),
  figure('重办率', 'reopenedPercent', 'reopenedPercent'),
  figure('平均满意度', 'averageSatisfaction', 'averageSatisfaction'),
  figure('评价数', 'ratingCount', 'ratings'),
  figure('签收用时中位数（小时）', 'medianHoursToSign', 'medianHoursToSign', 12),
  figure('办结用时中位数（小时）', 'medianHoursToComplete', 'medianHoursToComplete', 12),
  figure('综合得分', 'score', 'score'),
  figure('计分权重合计', 'scoreBasis', 'scoreBasis'),
  figure('排名', 'rank', 'rank', 8),
  figure('参与排名的部门数', 'rankedOutOf', 'ranked'),
]

/** A grid's figures (GridPerformance), with the grid's code, name and community. */
export interface GridPerformanceRow extends GridRow {
  code: string | null
  grid: Name
  community: Name
}

export const GRID_PERFORMANCE_COLUMNS: Column<GridPerformanceRow>[] = [
  text('网格编码', 'grid.code', (r) => r.code, 14),
  text('网格名称', 'grid.name', (r) => r.grid),
  text('社区', 'grid.community.name', (r) => r.community),
  figure('案件总数', 'casesReported', 'reported'),
  figure('巡查发现数', 'casesFoundByPatrol', 'patrol'),
  figure('群众上报数', 'casesReportedByResidents', 'residents'),
  figure('办结数', 'casesResolved', 'resolved'),
  figure('按期办结数', 'resolvedOnTimeCount', 'resolvedOnTime'),
  figure('应办结数', 'dueCount', 'due'),
  figure('按期办结率', 'onTimePercent', 'onTimePercent'),
  figure('平均满意度', 'averageSatisfaction', 'averageSatisfaction'),
  figure('评价数', 'ratingCount', 'ratings'),
  figure('核查通过次数', 'verificationsPassed', 'verificationsPassed'),
  figure('核查不通过次数', 'verificationsFailed', 'verificationsFailed'),
  figure('核查通过率', 'verificationPassPercent', 'verificationPassPercent'),
  figure('在岗网格人员数', 'activeWorkers', 'activeWorkers'),
  figure('户数', 'households', 'households'),
  figure('人均服务户数', 'householdsPerWorker', 'householdsPerWorker'),
  figure('志愿服务时长', 'volunteerHours', 'volunteerHours'),
  figure('志愿服务人次', 'volunteerServices', 'volunteerServices'),
  figure('报到党员数', 'partyMembersReported', 'partyMembers'),
]

/** A completed signup as the export shows it: the volunteer's name whole or masked as User.displayName shows it. */
export interface VolunteerHoursRow {
  id: string
  volunteer: string | null
  activity: string | null
  community: Name
  grid: Name
  startsAt: Date | null
  endsAt: Date | null
  completedAt: Date | null
  hours: number | null
  points: number | null
}

export const VOLUNTEER_HOURS_COLUMNS: Column<VolunteerHoursRow>[] = [
  text('编号', 'id', (r) => r.id, 40),
  text('志愿者', 'user.displayName', (r) => r.volunteer, 10),
  text('活动', 'activity.title', (r) => r.activity, 30),
  text('社区', 'activity.community.name', (r) => r.community),
  text('网格', 'activity.grid.name', (r) => r.grid),
  datetime('活动开始', 'activity.startsAt', (r) => r.startsAt),
  datetime('活动结束', 'activity.endsAt', (r) => r.endsAt),
  datetime('完成时间', 'completedAt', (r) => r.completedAt),
  number('服务时长（小时）', 'hours', (r) => r.hours),
  number('积分', 'points', (r) => r.points, 8),
]

/** A member's yearly record (MemberServiceRecord) with the member's name, organisation and home. */
export interface PartyMemberRecordRow extends Omit<YearRecord, 'commitments'> {
  memberGlobalId: string
  name: string
  org: Name
  homeCommunity: Name
}

export const PARTY_MEMBER_RECORD_COLUMNS: Column<PartyMemberRecordRow>[] = [
  text('党员编号', 'member.id', (r) => r.memberGlobalId, 40),
  text('姓名', 'member.name', (r) => r.name, 10),
  text('所属党组织', 'member.org.name', (r) => r.org, 24),
  text('居住社区', 'member.homeCommunity.name', (r) => r.homeCommunity),
  figure('年度', 'year', 'year', 8),
  figure('服务总时长', 'hours', 'hours'),
  figure('参加志愿活动次数', 'activities', 'activities'),
  figure('志愿活动时长', 'activityHours', 'activityHours'),
  figure('认领兑现微心愿数', 'wishesFulfilled', 'wishesFulfilled'),
  figure('协助办理诉求数', 'casesHelped', 'casesHelped'),
  figure('承诺总时长', 'hoursPledged', 'hoursPledged'),
  figure('年度承诺数', 'commitmentsTotal', 'commitmentsTotal'),
  figure('已兑现承诺数', 'commitmentsMet', 'commitmentsMet'),
]
