// Preloaded (NODE_OPTIONS=--require) into a command to prove it reaches nothing beyond this machine:
// every DNS look-up of a name other than localhost, and every TCP/UDP connection to an address that
// is not loopback, is recorded in $NO_NETWORK_LOG (one line each, with the process id) and refused
// with ENETUNREACH. Unix sockets and loopback pass. Child processes inherit it through NODE_OPTIONS.
'use strict'
const fs = require('node:fs')
const dns = require('node:dns')
const net = require('node:net')
const dgram = require('node:dgram')

const LOG = process.env.NO_NETWORK_LOG
const LOCAL_NAMES = new Set(['localhost', 'ip6-localhost', ''])
const isLoopback = (host) => {
  if (!host || LOCAL_NAMES.has(String(host).toLowerCase())) return true
  const h = String(host).replace(/^\[|\]$/g, '')
  return h === '::1' || h.startsWith('127.') || h === '0.0.0.0' || h === '::' || h.startsWith('::ffff:127.')
}
function record(kind, target) {
  const line = `${process.pid} ${process.argv.slice(1, 3).join(' ')} ${kind} ${target}\n`
  if (LOG) fs.appendFileSync(LOG, line)
  else process.stderr.write(`no-network: ${line}`)
}
const refusal = (target) => Object.assign(new Error(`no-network: ${target} is outside this machine`), { code: 'ENETUNREACH' })

// DNS: lookup (callback and promise), resolve*
const lookup = dns.lookup
dns.lookup = function (hostname, options, callback) {
  if (!isLoopback(hostname)) {
    record('dns', hostname)
    const cb = typeof options === 'function' ? options : callback
    process.nextTick(() => cb(refusal(hostname)))
    return {}
  }
  return lookup.apply(this, arguments)
}
const promiseLookup = dns.promises.lookup
dns.promises.lookup = function (hostname) {
  if (!isLoopback(hostname)) { record('dns', hostname); return Promise.reject(refusal(hostname)) }
  return promiseLookup.apply(this, arguments)
}
for (const name of ['resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveTxt', 'resolveSrv']) {
  const original = dns[name]
  if (typeof original !== 'function') continue
  dns[name] = function (hostname) {
    record('dns', hostname)
    const cb = arguments[arguments.length - 1]
    if (typeof cb === 'function') process.nextTick(() => cb(refusal(hostname)))
  }
  void original
}

// TCP: every connect goes through Socket.prototype.connect
const connect = net.Socket.prototype.connect
net.Socket.prototype.connect = function (...args) {
  const first = args[0]
  const options = Array.isArray(first) ? first[0] : (typeof first === 'object' && first !== null ? first : { port: first, host: args[1] })
  if (!options.path && !isLoopback(options.host ?? 'localhost')) {
    record('tcp', `${options.host}:${options.port}`)
    process.nextTick(() => this.destroy(refusal(options.host)))
    return this
  }
  return connect.apply(this, args)
}

// UDP
const send = dgram.Socket.prototype.send
dgram.Socket.prototype.send = function (...args) {
  const address = args.find((a, i) => i > 0 && typeof a === 'string')
  if (address && !isLoopback(address)) { record('udp', address); return }
  return send.apply(this, args)
}
