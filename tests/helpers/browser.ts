// Headless Chromium (Debian's `chromium` package) driven by playwright-core, for tests that must
// prove something in a real browser. playwright-core ships no browser: we use the system one and
// fail loudly when it is missing. Every request the pages make is recorded, and anything that would
// leave the machine is refused and reported, so a test can assert "works with no internet".
import { existsSync } from 'node:fs'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

export interface RecordedRequest {
  url: string
  method: string
  resourceType: string
}

export interface TestBrowser {
  browser: Browser
  /** Every request made by any page opened here (http(s) and ws(s); blob:/data: may also appear). */
  requests: RecordedRequest[]
  /** Requests to a host other than loopback (refused before they leave the browser). */
  offLoopback(): RecordedRequest[]
  /** A page in a fresh context (its own storage, so GraphiQL starts without saved tabs). */
  newPage(): Promise<Page>
  close(): Promise<void>
}

/** True for URLs that stay inside the browser (blob:, data:, about:) or go to loopback. */
export function isLocalUrl(raw: string): boolean {
  const url = new URL(raw)
  if (url.protocol === 'blob:' || url.protocol === 'data:' || url.protocol === 'about:') return true
  return LOOPBACK.has(url.hostname)
}

export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH)`,
    )
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    timeout: 15_000,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // No internet, whatever the machine has: every name except loopback fails to resolve.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
    ],
  })
  const requests: RecordedRequest[] = []
  const contexts: BrowserContext[] = []
  return {
    browser,
    requests,
    offLoopback: () => requests.filter((r) => !isLocalUrl(r.url)),
    async newPage() {
      const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1280, height: 1000 } })
      contexts.push(context)
      context.on('request', (r) => {
        requests.push({ url: r.url(), method: r.method(), resourceType: r.resourceType() })
      })
      await context.route('**/*', (route) =>
        isLocalUrl(route.request().url()) ? route.fallback() : route.abort('internetdisconnected'),
      )
      const page = await context.newPage()
      page.on('websocket', (ws) => {
        requests.push({ url: ws.url(), method: 'GET', resourceType: 'websocket' })
      })
      return page
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {})
      await browser.close()
    },
  }
}
