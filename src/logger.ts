import { pino, type Logger } from 'pino'

export type { Logger }

/** Structured JSON logs. Personal data (phones, ID numbers, tokens) is never logged. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'gongzhi' },
    redact: { paths: ['*.authorization', '*.phone', '*.idNumber', '*.token'], censor: '[redacted]' },
  })
}
