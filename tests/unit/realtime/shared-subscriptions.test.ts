import { parse } from 'graphql'
import { describe, expect, it } from 'vitest'
import { selectionKey, viewerClass } from '../../../src/realtime/shared-subscriptions.js'
import type { RoleName, Viewer } from '../../../src/auth/viewer.js'

const viewer = (roles: RoleName[], extra: Partial<Viewer> = {}): Viewer => ({
  userId: crypto.randomUUID(),
  roles: new Set(roles),
  regionIds: [],
  gridIds: [],
  departmentId: null,
  unitId: null,
  ...extra,
})

describe('selectionKey', () => {
  const doc = parse(
    `subscription($after: String, $region: ID, $first: Int) { dispatchOrderCreated(after: $after, regionId: $region) { cursor order { case { timeline(first: $first) { action } } } } }`,
  )
  const key = (variables: Record<string, unknown>) =>
    selectionKey({ schema: undefined as never, document: doc, variableValues: variables })

  it('should ignore variables used only as arguments of the root field (they pick the stream)', () => {
    expect(key({ after: 'a', region: 'r1', first: 5 })).toBe(key({ after: 'b', region: 'r2', first: 5 }))
  })

  it('should tell apart variables the payload uses', () => {
    expect(key({ after: 'a', first: 5 })).not.toBe(key({ after: 'a', first: 6 }))
  })

  it('should count variables inside fragments and root-field directives', () => {
    const frag = parse(
      `subscription($first: Int, $with: Boolean!) { dispatchOrderCreated @include(if: $with) { ...F } } fragment F on DispatchOrderFeedEvent { order { case { timeline(first: $first) { action } } } }`,
    )
    const k = (v: Record<string, unknown>) =>
      selectionKey({ schema: undefined as never, document: frag, variableValues: v })
    expect(k({ first: 1, with: true })).not.toBe(k({ first: 2, with: true }))
    expect(k({ first: 1, with: true })).not.toBe(k({ first: 1, with: false }))
  })
})

describe('viewerClass', () => {
  it('should let staff of one department share, as nobody in particular', () => {
    const [a, b] = [
      viewer(['DEPARTMENT_STAFF'], { departmentId: 'd1' }),
      viewer(['DEPARTMENT_STAFF'], { departmentId: 'd1' }),
    ]
    expect(viewerClass(a).key).toBe(viewerClass(b).key)
    expect(viewerClass(a).viewer!.userId).not.toBe(a.userId)
    expect(viewerClass(a).key).not.toBe(viewerClass(viewer(['DEPARTMENT_STAFF'], { departmentId: 'd2' })).key)
  })

  it('should keep officers of different regions, and people with other roles, apart', () => {
    expect(viewerClass(viewer(['COMMUNITY_OFFICER'], { regionIds: ['r1'] })).key).not.toBe(
      viewerClass(viewer(['COMMUNITY_OFFICER'], { regionIds: ['r2'] })).key,
    )
    const worker = viewer(['GRID_WORKER'], { gridIds: ['g1'] })
    expect(viewerClass(worker).key).not.toBe(viewerClass(viewer(['GRID_WORKER'], { gridIds: ['g1'] })).key)
    expect(viewerClass(worker).viewer).toBe(worker)
  })

  it("should key a member's own executions by their claims too: two tokens of one account may read differently", () => {
    const wide = viewer(['COMMUNITY_OFFICER', 'RESIDENT'], { regionIds: ['r1'] })
    const narrowed = { ...wide, roles: new Set<RoleName>(['COMMUNITY_OFFICER']) }
    expect(viewerClass(wide).own).toContain(wide.userId)
    expect(viewerClass(wide).own).not.toBe(viewerClass(narrowed).own)
    expect(viewerClass(wide).own).toBe(viewerClass({ ...wide }).own)
  })
})
