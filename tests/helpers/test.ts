// Fixtures for e2e tests (vitest `test.extend`): the file's app — one database per test file, as
// `startTestApp` clones it — tokens by user or role, and the seeded worlds the factories read. All
// are file-scoped and lazy: a file that never asks for the app starts none.
import { afterAll, beforeAll, beforeEach, test as base } from 'vitest'
import type { RoleName } from '../../src/auth/viewer.js'
import { agreementWorld } from '../factories/agreements.js'
import { partyWorld } from '../factories/party.js'
import { volunteerWorld } from '../factories/volunteer.js'
import { startTestApp, type TestApp, type TestAppOptions } from './app.js'
import { twoCommunities, userWithRole } from './fixtures.js'

export interface Tokens {
  /** A seeded user's token, by username (roles default to all of the user's roles); signed once per file. */
  user(username: string, roles?: RoleName[]): Promise<string>
  /** The token of the first seeded user (by username) who has `role`, acting in that role alone. */
  role(role: RoleName): Promise<string>
}

export interface FileFixtures {
  app: TestApp
  tokens: Tokens
  communities: Awaited<ReturnType<typeof twoCommunities>>
  agreementWorld: Awaited<ReturnType<typeof agreementWorld>>
  partyWorld: Awaited<ReturnType<typeof partyWorld>>
  volunteerWorld: Awaited<ReturnType<typeof volunteerWorld>>
}

/** A test API whose `app` runs with this environment (e.g. `{ BACKGROUND_JOBS: 'false' }`) and options. */
export function appTest(env: Record<string, string> = {}, options: TestAppOptions = {}) {
  return base.extend<{ $file: FileFixtures }>({
    app: [
      // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern
      async ({}, use) => {
        const app = await startTestApp(env, options)
        try {
          await use(app)
        } finally {
          await app.stop()
        }
      },
      { scope: 'file' },
    ],
    tokens: [
      async ({ app }, use) => {
        const signed = new Map<string, Promise<string>>()
        const once = (key: string, sign: () => Promise<string>) => {
          if (!signed.has(key)) signed.set(key, sign())
          return signed.get(key)!
        }
        await use({
          user: (username, roles) =>
            once(`${username}:${roles?.join(',') ?? '*'}`, () => app.tokenFor(username, roles)),
          role: (role) =>
            once(`role:${role}`, async () => app.tokenFor((await userWithRole(app.prisma, role)).username, [role])),
        })
      },
      { scope: 'file' },
    ],
    communities: [async ({ app }, use) => use(await twoCommunities(app.prisma)), { scope: 'file' }],
    agreementWorld: [async ({ app }, use) => use(await agreementWorld(app)), { scope: 'file' }],
    partyWorld: [async ({ app }, use) => use(await partyWorld(app)), { scope: 'file' }],
    volunteerWorld: [async ({ app }, use) => use(await volunteerWorld(app)), { scope: 'file' }],
  })
}

/** The e2e test API with the default app. */
export const test = appTest()
export const it = test
export const describe = test.describe

/**
 * Ordered steps of one story, in the describe that calls this: each `it` continues from the state the
 * previous one left. Once a step fails, the later steps are skipped, so a broken story shows its one real
 * failure rather than TypeErrors and feed timeouts after it. `setup`, when given, runs once before the
 * first step; the returned object reads its result (and throws a clear error before it is there).
 * `teardown` runs after the last step, only if `setup` succeeded.
 */
export function story<S extends object = Record<never, never>>(
  setup?: () => Promise<S>,
  options: { timeout?: number; teardown?: (s: S) => Promise<unknown> | unknown } = {},
): S {
  let state: S | undefined
  let broken: string | undefined
  if (setup)
    beforeAll(async () => {
      state = await setup()
    }, options.timeout)
  if (options.teardown) {
    const teardown = options.teardown
    afterAll(async () => {
      if (state) await teardown(state)
    })
  }
  // destructured: vitest reads the fixtures a hook needs from its pattern
  beforeEach(({ skip, onTestFailed, task }) => {
    skip(broken !== undefined, `an earlier step of the story failed: ${broken}`)
    onTestFailed(() => {
      broken ??= task.name
    })
  })
  return new Proxy({} as S, {
    get(_, key) {
      if (!state) throw new Error('the story was not set up (did its setup fail?)')
      return Reflect.get(state, key)
    },
  })
}
