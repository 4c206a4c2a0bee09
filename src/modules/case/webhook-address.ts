// Which IP addresses a webhook may be delivered to (SSRF defence). Only addresses that ipaddr.js
// classes as `unicast` — no loopback, private, carrier-grade NAT, link-local, unique-local,
// multicast, broadcast, benchmarking, documentation or reserved space. IPv6 forms that carry an
// IPv4 address are judged by the address they carry, or refused when it cannot be known.
import { isIP } from 'node:net'
import ipaddr from 'ipaddr.js'

export type AddressVerdict = { deliverable: true } | { deliverable: false; reason: string }

const OK: AddressVerdict = { deliverable: true }
const refuse = (reason: string): AddressVerdict => ({ deliverable: false, reason })

/** The IPv4 address in 32 bits of an IPv6 address, starting at 16-bit group `at`. */
const ipv4At = (v6: ipaddr.IPv6, at: number, xor = 0): ipaddr.IPv4 => {
  const [hi, lo] = [v6.parts[at]! ^ xor, v6.parts[at + 1]! ^ xor]
  return new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff])
}

function classifyIPv4(v4: ipaddr.IPv4, via?: string): AddressVerdict {
  const range = v4.range()
  return range === 'unicast' ? OK : refuse(`${via ? `${via} carrying ` : ''}${range} address ${v4.toString()}`)
}

/** Every embedded IPv4 address must be deliverable; the first one that is not decides. */
function classifyEmbedded(via: string, ...carried: ipaddr.IPv4[]): AddressVerdict {
  for (const v4 of carried) {
    const verdict = classifyIPv4(v4, via)
    if (!verdict.deliverable) return verdict
  }
  return OK
}

function classifyIPv6(v6: ipaddr.IPv6): AddressVerdict {
  const p = v6.parts
  // ::/96 holds ::, ::1 and the deprecated IPv4-compatible addresses (::127.0.0.1, RFC 4291 §2.5.5.1),
  // which ipaddr.js classes as plain unicast; nothing legitimate is reached through them.
  if (p.slice(0, 6).every((x) => x === 0)) {
    const range = v6.range()
    return refuse(`${range === 'unicast' ? 'IPv4-compatible' : range} address ${v6.toString()}`)
  }
  // 64:ff9b:1::/48 is a local-use NAT64 prefix (RFC 8215): where the IPv4 sits depends on the operator's prefix length.
  if (p[0] === 0x64 && p[1] === 0xff9b && p[2] === 1) return refuse(`local-use NAT64 address ${v6.toString()}`)
  const range = v6.range()
  switch (range) {
    case 'unicast':
      return OK
    case 'ipv4Mapped':
      return classifyEmbedded('IPv4-mapped address', v6.toIPv4Address()) // ::ffff:a.b.c.d
    case 'rfc6145':
      return classifyEmbedded('IPv4-translated address', ipv4At(v6, 6)) // ::ffff:0:a.b.c.d
    case 'rfc6052':
      return classifyEmbedded('NAT64 address', ipv4At(v6, 6)) // 64:ff9b::a.b.c.d
    case '6to4':
      return classifyEmbedded('6to4 address', ipv4At(v6, 1)) // 2002:AABB:CCDD::
    // Teredo (2001::/32): the server's IPv4 in bits 32–63, the client's obfuscated (inverted) in the last 32
    case 'teredo':
      return classifyEmbedded('Teredo address', ipv4At(v6, 2), ipv4At(v6, 6, 0xffff))
    default:
      return refuse(`${range} address ${v6.toString()}`)
  }
}

/**
 * Classifies one IP address as a webhook target. Anything that is not a canonical IPv4 or IPv6
 * literal (what DNS answers and what the WHATWG URL parser leaves in a hostname) is refused.
 */
export function classifyAddress(address: string): AddressVerdict {
  const family = isIP(address)
  if (family === 0) return refuse(`not an IP address: ${address}`)
  if (family === 4) return classifyIPv4(ipaddr.IPv4.parse(address))
  // a zone (fe80::1%eth0) scopes the address to one local link
  if (address.includes('%')) return refuse(`scoped address ${address}`)
  // ipaddr.js reads `::a.b.c.d` as `::ffff:a.b.c.d`, a different address; the URL parser writes it as hex groups
  return classifyIPv6(ipaddr.IPv6.parse(new URL(`http://[${address}]/`).hostname.slice(1, -1)))
}

export const isDeliverableAddress = (address: string): boolean => classifyAddress(address).deliverable
