// Trusted documents (TRUSTED_DOCUMENTS, TRUSTED_DOCUMENTS_ONLY): a listed document runs by its hash
// over HTTP (POST and GET) and graphql-ws; an unknown hash and, in only-mode, any document's text are
// refused with a typed error. Off by default.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/config.js'
import { FatalError } from '../../../src/shared/fatal-error.js'
import { loadTrustedDocuments, TRUSTED_DOCUMENT_CODES } from '../../../src/shared/trusted-documents.js'
import { startTestApp, type TestApp } from '../../helpers/app.js'
import { userWithRole } from '../../helpers/fixtures.js'
import { collect, graphql, wsClient } from '../../helpers/graphql.js'

// documents here are strings: a trusted document is its exact text, named by the text's sha256 hash
const ME = 'query Me { me { roles } }'
const hashOf = (document: string) => createHash('sha256').update(document).digest('hex')
const apq = (document: string) => ({ persistedQuery: { version: 1, sha256Hash: hashOf(document) } })

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trusted-documents-'))
const manifest = path.join(dir, 'persisted-documents.json')
fs.writeFileSync(manifest, JSON.stringify({ [hashOf(ME)]: ME }))

async function post(t: TestApp, body: Record<string, unknown>, token?: string) {
  const res = await fetch(t.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  })
  return {
    status: res.status,
    ...((await res.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] }),
  }
}

let off: TestApp
let allowed: TestApp
let only: TestApp
let token: string
beforeAll(async () => {
  off = await startTestApp()
  // the same database for all three: these tests only read
  ;[allowed, only] = await Promise.all([
    startTestApp({ TRUSTED_DOCUMENTS: manifest }, { databaseUrl: off.databaseUrl }),
    startTestApp({ TRUSTED_DOCUMENTS: manifest, TRUSTED_DOCUMENTS_ONLY: 'true' }, { databaseUrl: off.databaseUrl }),
  ])
  token = await off.tokenFor((await userWithRole(off.prisma, 'ADMIN')).username)
})
afterAll(async () => {
  await Promise.all([allowed?.stop(), only?.stop()])
  await off?.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('trusted documents off (the default)', () => {
  it('should run a document sent as text and know nothing of hashes', async () => {
    expect(off.config.TRUSTED_DOCUMENTS).toBeUndefined()
    expect((await post(off, { query: ME }, token)).data).toEqual({ me: { roles: ['ADMIN'] } })
    const byHash = await post(off, { extensions: apq(ME) }, token)
    expect(byHash.status).toBe(400)
    expect(byHash.errors?.[0]?.message).toMatch(/Must provide query string/)
  })
})

describe('trusted documents allowed beside ad-hoc documents', () => {
  it('should run a listed document by its hash: extensions.persistedQuery, documentId, and GET', async () => {
    expect((await post(allowed, { extensions: apq(ME) }, token)).data).toEqual({ me: { roles: ['ADMIN'] } })
    expect((await post(allowed, { documentId: `sha256:${hashOf(ME)}` }, token)).data).toEqual({
      me: { roles: ['ADMIN'] },
    })
    const get = await fetch(`${allowed.url}?documentId=${hashOf(ME)}`, {
      headers: { authorization: `Bearer ${token}`, 'x-graphql-yoga-csrf': '1' },
    })
    expect(await get.json()).toEqual({ data: { me: { roles: ['ADMIN'] } } })
  })

  it("should answer an unknown hash with PERSISTED_QUERY_NOT_FOUND (404), as Apollo's link expects", async () => {
    const res = await post(allowed, { extensions: apq('{ me { id } }') }, token)
    expect(res.status).toBe(404)
    expect(res.errors).toEqual([
      { message: 'PersistedQueryNotFound', extensions: { code: TRUSTED_DOCUMENT_CODES.notFound } },
    ])
  })

  it('should still run a document sent as text', async () => {
    expect((await post(allowed, { query: '{ me { roles } }' }, token)).data).toEqual({ me: { roles: ['ADMIN'] } })
  })
})

describe('TRUSTED_DOCUMENTS_ONLY', () => {
  it('should refuse a document sent as text, even a listed one, telling the client what to send', async () => {
    for (const query of ['{ me { roles } }', ME]) {
      const res = await post(only, { query }, token)
      expect(res.status).toBe(400)
      expect(res.errors?.[0]?.extensions?.code).toBe(TRUSTED_DOCUMENT_CODES.onlyTrusted)
      expect(res.errors?.[0]?.message).toMatch(/sha256Hash.*documentId/)
      expect(res.data).toBeUndefined()
    }
  })

  it('should run a listed document by its hash and refuse an unknown hash', async () => {
    expect((await post(only, { extensions: apq(ME) }, token)).data).toEqual({ me: { roles: ['ADMIN'] } })
    expect((await post(only, { documentId: 'sha256:0000' }, token)).errors?.[0]?.extensions?.code).toBe(
      TRUSTED_DOCUMENT_CODES.notFound,
    )
  })

  it('should apply the same rules over graphql-ws, failing only the refused operation', async () => {
    const ws = wsClient(only.wsUrl, token)
    // graphql-ws requires a `query` string: a client sending a hash sends an empty one
    const adHoc = collect(ws, graphql('subscription { dispatchOrderUpdated { id } }'))
    const [refused] = await adHoc.next(1)
    expect(refused!.errors).toEqual([
      {
        message: expect.stringMatching(/Only trusted documents/),
        extensions: { code: TRUSTED_DOCUMENT_CODES.onlyTrusted },
      },
    ])
    const [neither] = await collect(ws, '').next(1)
    expect(JSON.stringify(neither!.errors)).toContain(TRUSTED_DOCUMENT_CODES.idRequired)
    const result = await new Promise<unknown>((resolve, reject) => {
      ws.subscribe({ query: '', extensions: apq(ME) }, { next: resolve, error: reject, complete: () => {} })
    })
    expect(result).toEqual({ data: { me: { roles: ['ADMIN'] } } })
    await ws.dispose()
  })
})

describe('trusted documents configuration', () => {
  it('should refuse TRUSTED_DOCUMENTS_ONLY without a manifest, and a manifest that is not { hash: document }', () => {
    expect(() => loadConfig({ TRUSTED_DOCUMENTS_ONLY: 'true' })).toThrow(
      /TRUSTED_DOCUMENTS_ONLY: needs TRUSTED_DOCUMENTS/,
    )
    const bad = path.join(dir, 'bad.json')
    fs.writeFileSync(bad, JSON.stringify({ abc: 42 }))
    expect(() => loadTrustedDocuments(bad)).toThrow(FatalError)
    expect(() => loadTrustedDocuments(path.join(dir, 'missing.json'))).toThrow(/TRUSTED_DOCUMENTS: cannot read/)
  })

  it("should read Apollo's persisted query manifest as well", () => {
    const apollo = path.join(dir, 'apollo.json')
    fs.writeFileSync(
      apollo,
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [{ id: hashOf(ME), name: 'Me', type: 'query', body: ME }],
      }),
    )
    expect([...loadTrustedDocuments(apollo)]).toEqual([[hashOf(ME), ME]])
  })
})
