// The webhook SSRF guard: which addresses a webhook may reach (webhook-address.ts), the URL check at
// registration, and the pinned lookup every delivery connects through. No network: names are
// answered by injected resolvers.
import type { LookupAddress } from 'node:dns'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { classifyAddress, isDeliverableAddress } from '../../../src/modules/case/webhook-address.js'
import { assertDeliverable, pinnedLookup, type Resolver } from '../../../src/modules/case/webhook.service.js'

/** Known findings first (they passed the previous guard), then the rest of the non-public space. */
const REFUSED_URLS = [
  'http://[::127.0.0.1]/',
  'http://[64:ff9b::7f00:1]/',
  'http://198.18.0.1/',
  'http://240.0.0.1/',
  'http://0.0.0.0/',
  'http://100.64.0.1/',
  'http://169.254.169.254/',
  'http://[::1]/',
  'http://[::ffff:10.0.0.1]/',
  'http://[fe80::1]/',
  'http://[fc00::1]/',
  'http://192.0.0.1/',
  'http://192.0.2.1/',
  'http://255.255.255.255/',
  'http://224.0.0.1/',
  'http://239.255.255.250:1900/',
  'http://[ff02::1]/',
  'http://127.0.0.1:8080/',
  'http://10.1.2.3/',
  'http://172.16.0.1/',
  'http://192.168.1.1/',
  'http://[::]/',
  'http://0x7f.1/',
  'http://2130706433/',
]
const ACCEPTED_URLS = ['http://93.184.216.34/', 'https://[2606:4700::1111]/hook', 'https://8.8.8.8:8443/x']

const resolverOf = (...answers: string[][]): Resolver & { calls: string[] } => {
  const calls: string[] = []
  const resolve = async (host: string) => {
    calls.push(host)
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)]!
    return answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
  }
  return Object.assign(resolve, { calls })
}

describe('webhook address classification', () => {
  const refused: [string, RegExp][] = [
    ['0.0.0.0', /unspecified/],
    ['127.0.0.1', /loopback/],
    ['10.0.0.1', /private/],
    ['172.31.255.255', /private/],
    ['192.168.0.10', /private/],
    ['100.64.0.1', /carrierGradeNat/],
    ['169.254.169.254', /linkLocal/],
    ['192.0.0.1', /reserved/],
    ['192.0.2.1', /reserved/],
    ['198.18.0.1', /reserved/],
    ['198.51.100.7', /reserved/],
    ['203.0.113.9', /reserved/],
    ['240.0.0.1', /reserved/],
    ['255.255.255.255', /broadcast/],
    ['224.0.0.1', /multicast/],
    ['239.1.2.3', /multicast/],
    ['::', /unspecified/],
    ['::1', /loopback/],
    ['fe80::1', /linkLocal/],
    ['fc00::1', /uniqueLocal/],
    ['fd12:3456::1', /uniqueLocal/],
    ['ff02::1', /multicast/],
    ['2001:db8::1', /reserved/],
    ['100::1', /discard/],
    ['fec0::1', /SiteLocal/],
  ]
  for (const [address, reason] of refused) {
    it(`should refuse ${address}`, () => {
      const verdict = classifyAddress(address)
      expect(verdict.deliverable).toBe(false)
      expect(!verdict.deliverable && verdict.reason).toMatch(reason)
    })
  }

  it('should accept public unicast addresses of both families', () => {
    for (const a of ['93.184.216.34', '8.8.8.8', '1.1.1.1', '2606:4700::1111', '2001:4860:4860::8888']) {
      expect(classifyAddress(a), a).toEqual({ deliverable: true })
    }
  })

  it('should refuse IPv4-compatible addresses (::/96) whatever they carry, though ipaddr.js reads ::a.b.c.d as IPv4-mapped', () => {
    for (const a of ['::127.0.0.1', '::7f00:1', '::93.184.216.34', '::5db8:d822', '::0.0.0.2']) {
      const verdict = classifyAddress(a)
      expect(verdict.deliverable, a).toBe(false)
      expect(!verdict.deliverable && verdict.reason, a).toMatch(/IPv4-compatible/)
    }
  })

  const reasonOf = (address: string) => {
    const v = classifyAddress(address)
    return v.deliverable ? null : v.reason
  }

  it('should judge IPv4-mapped, IPv4-translated, NAT64 and 6to4 addresses by the IPv4 address they carry', () => {
    expect(reasonOf('::ffff:10.0.0.1')).toBe('IPv4-mapped address carrying private address 10.0.0.1')
    expect(reasonOf('::ffff:7f00:1')).toBe('IPv4-mapped address carrying loopback address 127.0.0.1')
    expect(reasonOf('::ffff:0:a9fe:a9fe')).toBe('IPv4-translated address carrying linkLocal address 169.254.169.254')
    expect(reasonOf('64:ff9b::7f00:1')).toBe('NAT64 address carrying loopback address 127.0.0.1')
    expect(reasonOf('64:ff9b::192.168.1.1')).toBe('NAT64 address carrying private address 192.168.1.1')
    expect(reasonOf('2002:7f00:1::1')).toBe('6to4 address carrying loopback address 127.0.0.1')
    expect(reasonOf('2002:a00:1::')).toBe('6to4 address carrying private address 10.0.0.1')
    for (const a of ['::ffff:93.184.216.34', '::ffff:0:5db8:d822', '64:ff9b::5db8:d822', '2002:5db8:d822::1'])
      expect(reasonOf(a), a).toBeNull()
  })

  it('should judge Teredo addresses by both the server and the (inverted) client IPv4 address', () => {
    // client 127.0.0.1 is carried as ~0x7f000001 = 80ff:fffe; client 93.184.216.34 as a247:27dd
    expect(reasonOf('2001:0:5db8:d822::80ff:fffe')).toBe('Teredo address carrying loopback address 127.0.0.1')
    expect(reasonOf('2001:0:a00:1::a247:27dd')).toBe('Teredo address carrying private address 10.0.0.1')
    expect(reasonOf('2001:0:5db8:d822::a247:27dd')).toBeNull()
  })

  it('should refuse the local-use NAT64 prefix, scoped addresses and anything that is not a canonical IP literal', () => {
    const odd = [
      '64:ff9b:1::5db8:d822',
      '64:ff9b:1:7f00:1::',
      'fe80::1%eth0',
      '2606:4700::1111%1',
      '127.1',
      '0x7f000001',
      '2130706433',
      'localhost',
    ]
    for (const a of odd) expect(isDeliverableAddress(a), a).toBe(false)
  })

  it('should give an IPv4 address and every IPv6 form carrying it the same verdict', () => {
    fc.assert(
      fc.property(fc.ipV4(), (v4) => {
        const [a, b, c, d] = v4.split('.').map(Number) as [number, number, number, number]
        const hex = (x: number, y: number) => ((x << 8) | y).toString(16)
        const expected = isDeliverableAddress(v4)
        expect(isDeliverableAddress(`::ffff:${v4}`)).toBe(expected)
        expect(isDeliverableAddress(`64:ff9b::${v4}`)).toBe(expected)
        expect(isDeliverableAddress(`2002:${hex(a, b)}:${hex(c, d)}::1`)).toBe(expected)
        expect(isDeliverableAddress(`::${v4}`)).toBe(false)
      }),
      { numRuns: 2000 },
    )
  })
})

describe('webhook URL guard', () => {
  for (const url of REFUSED_URLS) {
    it(`should refuse ${url}`, async () => {
      await expect(assertDeliverable(url, false)).rejects.toThrow(/non-public address/)
      await expect(assertDeliverable(url, true)).resolves.toBeUndefined()
    })
  }
  for (const url of ACCEPTED_URLS) {
    it(`should accept ${url}`, async () => {
      await expect(assertDeliverable(url, false)).resolves.toBeUndefined()
    })
  }

  it('should refuse a name when any one of its addresses is not public', async () => {
    const resolve = resolverOf(['93.184.216.34', '10.0.0.7'])
    const url = 'https://hooks.example.test/x'
    await expect(assertDeliverable(url, false, resolve)).rejects.toThrow(
      /non-public address \(private address 10\.0\.0\.7\)/,
    )
    expect(resolve.calls).toEqual(['hooks.example.test'])
    await expect(
      assertDeliverable(url, false, resolverOf(['93.184.216.34', '2606:4700::1111'])),
    ).resolves.toBeUndefined()
  })
})

describe('pinned lookup', () => {
  const lookup = (fn: ReturnType<typeof pinnedLookup>, host: string, options: object) =>
    new Promise<{ address: string | LookupAddress[]; family?: number }>((resolve, reject) =>
      fn(host, options, (err, address, family) => (err ? reject(err) : resolve({ address, family }))),
    )

  it('should hand the connection exactly the addresses it checked, resolving once per connection', async () => {
    const resolve = resolverOf(['93.184.216.34', '2606:4700::1111'])
    const pinned = pinnedLookup(false, resolve)
    expect(await lookup(pinned, 'hooks.example.test', {})).toEqual({ address: '93.184.216.34', family: 4 })
    expect(await lookup(pinned, 'hooks.example.test', { all: true })).toEqual({
      address: [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:4700::1111', family: 6 },
      ],
    })
    expect(await lookup(pinned, 'hooks.example.test', { family: 6 })).toEqual({ address: '2606:4700::1111', family: 6 })
    expect(resolve.calls).toHaveLength(3)
  })

  it('should refuse a name that rebinds to a private address after a public answer', async () => {
    const resolve = resolverOf(['93.184.216.34'], ['127.0.0.1'])
    await expect(assertDeliverable('https://rebind.example.test/', false, resolve)).resolves.toBeUndefined()
    await expect(lookup(pinnedLookup(false, resolve), 'rebind.example.test', { all: true })).rejects.toThrow(
      /non-public address \(loopback address 127\.0\.0\.1\)/,
    )
    expect(resolve.calls).toHaveLength(2)
  })

  it('should pass private answers through when private targets are allowed', async () => {
    expect(await lookup(pinnedLookup(true, resolverOf(['127.0.0.1'])), 'localhost.test', {})).toEqual({
      address: '127.0.0.1',
      family: 4,
    })
  })

  it('should answer ENOTFOUND when the name has no address of the family asked for', async () => {
    await expect(
      lookup(pinnedLookup(false, resolverOf(['93.184.216.34'])), 'v4only.example.test', { family: 6 }),
    ).rejects.toMatchObject({ code: 'ENOTFOUND' })
    await expect(lookup(pinnedLookup(false, resolverOf([])), 'nothing.example.test', {})).rejects.toMatchObject({
      code: 'ENOTFOUND',
    })
  })
})
