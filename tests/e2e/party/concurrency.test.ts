import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import { PARTY_MUTATIONS, partyWorld, registerMember, reportFactory, rowId } from '../../factories/party.js'
import { answer } from '../../helpers/graphql.js'

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

const LOSERS = new Set(['StaleVersion', 'InvalidTransition'])

describe('optimistic concurrency on dual reports', () => {
  it('should let exactly one of concurrent approvals and rejections of one report win, with one decision in the timeline', async () => {
    const world = await partyWorld(t)
    for (let round = 0; round < 3; round++) {
      const m = await registerMember(t, world.officerA, world.buildingA.id)
      const flow = reportFactory(t, { reporter: world.officerA, officer: world.officerA })
      await flow.submit({ memberId: m.id })
      const { id, version } = flow.report
      const approve = { id, version, gridId: globalId('Grid', world.gridA.id) }
      const reject = { id, version, reason: '信息有误，请核实' }
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          i % 2
            ? answer(t, world.officerA, PARTY_MUTATIONS.reject, reject)
            : answer(t, world.officerA, PARTY_MUTATIONS.approve, approve),
        ),
      )

      const winners = answers.filter((a) => 'report' in a) // the payloads
      expect(winners).toHaveLength(1)
      for (const a of answers.filter((x) => !x.__typename.endsWith('Payload'))) expect(LOSERS).toContain(a.__typename)
      const won = winners[0]!.report
      expect(['APPROVED', 'REJECTED']).toContain(won.status)
      expect(won.version).toBe(version + 1)

      const row = await t.prisma.dualReport.findUniqueOrThrow({ where: { id: rowId(id) } })
      expect(row).toMatchObject({
        status: won.status,
        version: version + 1,
        activeSlot: won.status === 'APPROVED' ? true : null,
      })
      expect(
        await t.prisma.dualReportEvent.count({ where: { reportId: row.id, action: { in: ['APPROVE', 'REJECT'] } } }),
      ).toBe(1)
    }
  })
})
