// Acceptance: GraphiQL loads in headless Chromium with no internet and runs a query and a
// subscription with the demo (ADMIN) token pre-filled in its header editor.
// Needs Debian's `chromium` (apt-get install -y chromium); fails, never skips, without it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page, Response } from 'playwright-core'
import { startTestApp, type TestApp } from '../../helpers/app.js'
import { globalId, userWithRole } from '../../helpers/fixtures.js'
import { launchBrowser, type TestBrowser } from '../../helpers/browser.js'
import { client, graphql } from '../../helpers/graphql.js'

const UPDATE_GRID = graphql(`mutation($input: UpdateGridInput!) { updateGrid(input: $input) {
  __typename
  ... on UpdateGridPayload { grid { name version } }
  ... on Error { code message }
} }`)

let t: TestApp
let b: TestBrowser | undefined
let launchError: unknown
let admin: { username: string; displayName: string }
let adminToken: string

beforeAll(async () => {
  // A missing Chromium fails every test below with launchBrowser's "apt-get install -y chromium".
  b = await launchBrowser().catch((e: unknown) => {
    launchError = e
    return undefined
  })
  t = await startTestApp(
    {},
    {
      // the demo token main.ts shows in GraphiQL is an ADMIN's: do the same here
      graphiqlToken: async ({ prisma, tokenFor }) => {
        admin = await userWithRole(prisma, 'ADMIN')
        adminToken = await tokenFor(admin.username)
        return adminToken
      },
    },
  )
})
afterAll(async () => {
  await b?.close()
  await t?.stop()
})

function browser(): TestBrowser {
  if (!b) throw launchError
  return b
}

/** Opens GraphiQL with `query` (text: it travels in the page's URL) in its operation editor (GraphiQL reads `?query=`) and waits for it to render. */
async function openGraphiQL(query: string): Promise<{ page: Page; responses: Response[]; pageErrors: Error[] }> {
  const page = await browser().newPage()
  const responses: Response[] = []
  const pageErrors: Error[] = []
  page.on('response', (r) => {
    responses.push(r)
  })
  page.on('pageerror', (e) => {
    pageErrors.push(e)
  })
  const res = await page.goto(`${t.origin}/graphql?query=${encodeURIComponent(query)}`)
  expect(res?.status()).toBe(200)
  expect(res?.headers()['content-type']).toMatch(/text\/html/)
  await page.locator('.graphiql-query-editor .monaco-editor').waitFor({ timeout: 15_000 })
  // GraphiQL put the `?query=` text into the operation editor
  await expect.poll(() => editorText(page, '.graphiql-query-editor'), { timeout: 10_000 }).toContain(query.slice(0, 20))
  return { page, responses, pageErrors }
}

/** Visible text of a Monaco editor (Monaco renders spaces as U+00A0). */
async function editorText(page: Page, selector: string): Promise<string> {
  const text = await page
    .locator(`${selector} .view-lines`)
    .first()
    .innerText()
    .catch(() => '')
  return text.replace(/\u00a0/g, ' ')
}
const resultText = (page: Page) => editorText(page, '.graphiql-response .result-window')

describe('GraphiQL in headless Chromium, offline', () => {
  it('should load from the server alone and run a query with the demo token', async () => {
    const grids = await t.prisma.grid.findMany({ orderBy: { code: 'asc' }, take: 2, select: { code: true } })
    expect(grids).toHaveLength(2)
    const { page, responses, pageErrors } = await openGraphiQL(
      '{ me { displayName roles } grids(first: 2) { edges { node { code } } } }',
    )
    const headers = await editorText(page, '.graphiql-editor-tool .graphiql-editor:not(.hidden)')
    expect(headers).toContain('authorization')
    expect(headers).toContain(`Bearer ${adminToken.slice(0, 20)}`)

    await page.locator('.graphiql-execute-button').click()
    await expect.poll(() => resultText(page), { timeout: 10_000 }).toContain(grids[1]!.code)
    const result = await resultText(page)
    expect(result).toContain(grids[0]!.code)
    expect(result).toContain(admin.displayName)
    expect(result).toContain('ADMIN')
    expect(result).not.toContain('"errors"')

    const graphqlResponses = responses.filter((r) => new URL(r.url()).pathname === '/graphql')
    expect(graphqlResponses.length).toBeGreaterThanOrEqual(3) // page, schema introspection, our query
    for (const r of graphqlResponses) expect(r.status(), `${r.request().method()} ${r.url()}`).toBe(200)
    expect(pageErrors).toEqual([])
    expect(browser().offLoopback()).toEqual([])
    await page.close()
  })

  it('should run a subscription over SSE (not refused by CSRF) and show the pushed change', async () => {
    const grid = await t.prisma.grid.findFirstOrThrow({ orderBy: { code: 'asc' } })
    const id = globalId('Grid', grid.id)
    const { page, responses, pageErrors } = await openGraphiQL(
      `subscription { gridUpdated(id: "${id}") { name version } }`,
    )

    const subscribed = t.pubsub.whenSubscribed('grid:updated', grid.id)
    const eventStream = page.waitForResponse((r) => /text\/event-stream/.test(r.headers()['content-type'] ?? ''), {
      timeout: 10_000,
    })
    await page.locator('.graphiql-execute-button').click()
    await subscribed
    // GraphiQL sends the subscription as GET + Accept: text/event-stream, with the CSRF header
    const sse = await eventStream
    expect(sse.status()).toBe(200)
    expect(sse.request().method()).toBe('GET')
    expect(new URL(sse.url()).host).toBe(new URL(t.origin).host)
    expect(await sse.request().headerValue('x-graphql-yoga-csrf')).toBe('graphiql')

    const name = `浏览器推送 ${Date.now()}`
    const updated = await client(t.url, adminToken).must(UPDATE_GRID, { input: { id, version: grid.version, name } })
    expect(updated.updateGrid).toEqual({ __typename: 'UpdateGridPayload', grid: { name, version: grid.version + 1 } })

    await expect.poll(() => resultText(page), { timeout: 10_000 }).toContain(name)
    expect(await resultText(page)).toContain(`"version": ${grid.version + 1}`)

    for (const r of responses.filter((r) => new URL(r.url()).pathname === '/graphql')) {
      expect(r.status(), `${r.request().method()} ${r.url()}`).toBe(200)
    }
    expect(pageErrors).toEqual([])
    expect(browser().offLoopback()).toEqual([])
    await page.close()
  })
})
