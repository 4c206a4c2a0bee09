import { describe, expect, it } from 'vitest'
import { assertDeliverable, backoffMs, signature } from '../../../src/modules/case/webhook.service.js'

describe('webhook URL guard', () => {
  for (const url of [
    'http://127.0.0.1:8080/hook',
    'http://[::1]/hook',
    'http://169.254.169.254/latest/meta-data',
    'https://10.1.2.3/x',
    'http://192.168.0.10/',
    'http://0.0.0.0/',
    'http://localhost:9000/',
  ]) {
    it(`should refuse ${url} unless private targets are allowed`, async () => {
      await expect(assertDeliverable(url, false)).rejects.toThrow(/non-public address/)
      await expect(assertDeliverable(url, true)).resolves.toBeUndefined()
    })
  }

  it('should accept a public address', async () => {
    await expect(assertDeliverable('https://8.8.8.8/hook', false)).resolves.toBeUndefined()
  })
})

describe('webhook backoff and signature', () => {
  it('should double the delay per failure, within ±10 % jitter, capped at one hour', () => {
    expect(backoffMs(1, 1000, 0.5)).toBe(1000)
    expect(backoffMs(2, 1000, 0.5)).toBe(2000)
    expect(backoffMs(4, 1000, 0.5)).toBe(8000)
    expect(backoffMs(3, 1000, 0)).toBe(3600)
    expect(backoffMs(3, 1000, 1)).toBe(4400)
    expect(backoffMs(40, 1000, 0.5)).toBe(3_600_000)
  })

  it('should sign the timestamp and the body together', () => {
    const a = signature('s3cret', 1700000000, '{"a":1}')
    expect(a).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/)
    expect(signature('s3cret', 1700000001, '{"a":1}')).not.toBe(a)
    expect(signature('s3cret', 1700000000, '{"a":2}')).not.toBe(a)
  })
})
