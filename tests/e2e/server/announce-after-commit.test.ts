// A step's change stands once its transaction commits, whatever happens to announcing it: when the
// bus (or the audience lookup) fails after the commit, the client is answered with the change it
// made — never an error that would send it to retry a step that happened — and the failure is logged.
import { describe, expect } from 'vitest'
import { appTest } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId, rowId } from '../../helpers/fixtures.js'
import { caseFactory, caseInput } from '../../factories/cases.js'
import { partyWorld, registerMember, reportFactory } from '../../factories/party.js'
import { people, V, volunteerWorld } from '../../factories/volunteer.js'
import { must } from '../../helpers/graphql.js'

const lines: Record<string, unknown>[] = []
const it = appTest({ BACKGROUND_JOBS: 'false', LOG_LEVEL: 'error' }, { logLines: lines })

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

/** The log lines of announcements that failed, by what they announced. */
const failedAnnouncements = () =>
  lines.filter((l) => l.msg === 'a committed change could not be announced to subscribers').map((l) => l.announcing)

describe('announcing a committed change (提交后通知)', () => {
  it("should answer an accepted case as accepted when the case's update cannot be published", async () => {
    const flow = caseFactory(t, {
      reporter: await t.tokenFor('grid.worker.CG-DM-01.leader', ['GRID_WORKER']),
      officer: await t.tokenFor('community.officer.1'),
    })
    await flow.report(await caseInput(t, { grid: 'CG-DM-01', category: 'SANITATION', title: '通知失败也受理' }))
    t.pubsub.failPublishes('case:updated')
    await flow.accept()
    expect(flow.case.status).toBe('ACCEPTED')
    expect((await t.prisma.case.findUniqueOrThrow({ where: { id: rowId(flow.case.id) } })).status).toBe('ACCEPTED')
    expect(failedAnnouncements()).toContain('case')
  })

  it('should answer a posted wish as posted when its audiences cannot be told', async () => {
    const w = await volunteerWorld(t)
    const [resident] = await people(t, 1)
    t.pubsub.failPublishes('wish:updated')
    const wish = await must(t, resident!.token, V.createWish, {
      title: '想请人帮忙修水龙头',
      gridId: globalId('Grid', w.gridA.id),
    })
    expect(wish.status).toBe('OPEN')
    expect(await t.prisma.microWish.count({ where: { id: rowId(wish.id) } })).toBe(1)
    expect(failedAnnouncements()).toContain('MicroWish')
  })

  it("should answer an approved dual report as approved when the workflow's publish fails", async () => {
    const world = await partyWorld(t)
    const member = await registerMember(t, world.officerA, world.buildingA.id)
    const flow = reportFactory(t, { reporter: world.officerA, officer: world.officerA })
    await flow.submit({ memberId: member.id })
    t.pubsub.failPublishes('party:report')
    await flow.approve(globalId('Grid', world.gridA.id))
    expect(flow.report.status).toBe('APPROVED')
    expect(failedAnnouncements()).toContain('DualReport')
  })
})
