// The dual-reporting (双报到) transition table of DESIGN §3, state × action × actor:
// SUBMITTED → APPROVED (grid and branch assigned, 编入网格) | REJECTED (reason); SUBMITTED or
// APPROVED → WITHDRAWN; APPROVED → TRANSFERRED when the member moves house (a new report follows in
// the new community). Pledges and their cancellation keep the state but are versioned steps too.
import type { DualReportStatus } from '../../generated/prisma/enums.js'
import type { Transition } from '../../shared/state-machine.js'

/**
 * How the caller relates to a report. REPORTER: the member (their linked account) or a contact of
 * the reporting unit; COMMUNITY_OFFICER: a community officer whose region holds the report's
 * community, or an admin. Street officers read their street's reports but act on none.
 */
export type ReportActor = 'REPORTER' | 'COMMUNITY_OFFICER'

/** `NEW`: the report does not exist yet; submitting creates it. */
export type ReportState = DualReportStatus | 'NEW'

export type ReportAction = 'SUBMIT' | 'APPROVE' | 'REJECT' | 'WITHDRAW' | 'TRANSFER' | 'PLEDGE' | 'UNPLEDGE'

const ACTIVE: readonly DualReportStatus[] = ['SUBMITTED', 'APPROVED']

export const REPORT_TRANSITIONS: Record<ReportAction, Transition<ReportState, ReportActor>> = {
  SUBMIT: { from: ['NEW'], to: 'SUBMITTED', actors: ['REPORTER', 'COMMUNITY_OFFICER'] },
  APPROVE: { from: ['SUBMITTED'], to: 'APPROVED', actors: ['COMMUNITY_OFFICER'] },
  REJECT: { from: ['SUBMITTED'], to: 'REJECTED', actors: ['COMMUNITY_OFFICER'] },
  WITHDRAW: { from: ACTIVE, to: 'WITHDRAWN', actors: ['REPORTER', 'COMMUNITY_OFFICER'] },
  TRANSFER: { from: ['APPROVED'], to: 'TRANSFERRED', actors: ['REPORTER', 'COMMUNITY_OFFICER'] },
  PLEDGE: { from: ACTIVE, to: null, actors: ['REPORTER', 'COMMUNITY_OFFICER'] },
  UNPLEDGE: { from: ACTIVE, to: null, actors: ['REPORTER', 'COMMUNITY_OFFICER'] },
}

/** A member or unit has at most one report in these states per community. */
export const ACTIVE_REPORT = ACTIVE

/** Calendar year in China Standard Time (UTC+8, no daylight saving): service years follow it. */
export const serviceYear = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).getUTCFullYear()

/** First instant of a service year (1 January 00:00 in China Standard Time), as a UTC Date. */
export const serviceYearStart = (year: number) => new Date(Date.UTC(year, 0, 1) - 8 * 3_600_000)

export interface CommitmentProgress {
  hoursPerYear: number | null
  hoursDone: number
  records: number
}

/**
 * A pledge with hours is met once the year's linked service reaches them; one without hours
 * (free-text or unit pledges) once anything was done for it in the year.
 */
export const commitmentMet = (c: CommitmentProgress) => (c.hoursPerYear ? c.hoursDone >= c.hoursPerYear : c.records > 0)
