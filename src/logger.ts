import { pino, type Logger } from 'pino'

export type { Logger }

/**
 * Structured JSON logs. Personal data (phones, ID numbers, tokens) is never logged. Written to
 * stdout asynchronously: a request does not wait for its log line (a blocking write per request
 * was the largest cost of `{ __typename }`); lines written while a write is in flight go out
 * together with the next one, and pino flushes what is left when the process exits.
 */
export function createLogger(level: string, destination?: { write(line: string): void }): Logger {
  return pino(
    {
      level,
      base: { service: 'gongzhi' },
      redact: { paths: ['*.authorization', '*.phone', '*.idNumber', '*.token'], censor: '[redacted]' },
    },
    destination ?? (level === 'silent' ? undefined : pino.destination({ dest: 1, sync: false })),
  )
}
