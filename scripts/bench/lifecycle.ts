// Everything the bench starts (embedded PostgreSQL, server processes, proxies) registers its
// cleanup here, so that it is stopped on a normal end, on an error and on Ctrl-C / SIGTERM.
import type { ChildProcess } from 'node:child_process'

type Cleanup = () => Promise<void> | void

const cleanups = new Set<Cleanup>()
const children = new Set<ChildProcess>()
let installed = false
let stopping = false

/** Whether a signal is stopping the bench (errors after that are its consequences, not news). */
export const interrupted = () => stopping

/** Registers a cleanup (run newest first); returns a function that unregisters it. */
export function onCleanup(fn: Cleanup): () => void {
  cleanups.add(fn)
  return () => {
    cleanups.delete(fn)
  }
}

/** A child that must not outlive the bench: SIGKILLed at exit if it is still running then. */
export function trackChild(child: ChildProcess): void {
  children.add(child)
  child.once('exit', () => children.delete(child))
}

/** Runs every registered cleanup, newest first; a failing cleanup does not stop the others. */
export async function runCleanups(): Promise<void> {
  for (const fn of [...cleanups].reverse()) {
    cleanups.delete(fn)
    try {
      await fn()
    } catch (e) {
      console.error('cleanup failed:', e)
    }
  }
}

/** Ctrl-C, SIGTERM and SIGHUP run the cleanups, then exit; a plain exit kills leftover children. */
export function installSignalHandlers(): void {
  if (installed) return
  installed = true
  const stop = (signal: NodeJS.Signals, code: number) => {
    if (stopping) return
    stopping = true
    console.error(`\n${signal}: stopping the servers and the database…`)
    void runCleanups().finally(() => process.exit(code))
  }
  process.on('SIGINT', () => stop('SIGINT', 130))
  process.on('SIGTERM', () => stop('SIGTERM', 143))
  process.on('SIGHUP', () => stop('SIGHUP', 129))
  process.on('exit', () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
  })
}
