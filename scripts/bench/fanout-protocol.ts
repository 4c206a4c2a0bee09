// The messages between the fan-out bench (scripts/bench/fanout.ts) and its client processes
// (scripts/bench/fanout-clients.ts), and the case titles through which clients check what they get.

/** One socket: its group (the addressee it serves) and where to connect. */
export interface ClientSpec {
  group: string
  url: string
  /** Bearer token (ours). */
  token?: string
  /** For department groups: the department's name, which every order it receives must carry. */
  department?: string
}

/** The measured orders of a run: index → addressed group. */
export interface PlannedOrder {
  index: number
  group: string
}

export type ToClients =
  | {
      kind: 'connect'
      mode: 'ours' | 'bare'
      runTag: string
      query: string
      clients: ClientSpec[]
      concurrency: number
    }
  | { kind: 'plan'; orders: PlannedOrder[] }
  | { kind: 'report' }
  | { kind: 'close' }

export interface ClientsProgress {
  acked: number
  failed: number
  live: number
  total: number
  missing: Record<string, number>
}

export interface ClientsReport {
  /** Order index → receipt times of its first delivery to each client. */
  receipts: [number, number[]][]
  /** Order index → the first `next` message received for it, as sent (JSON). */
  captured: [number, string][]
  foreign: number
  duplicates: number
  /** `next` messages carrying GraphQL errors, and subscriptions ended by an error. */
  errors: number
  /** Sockets closed after they had been acknowledged / subscriptions completed by the server. */
  closedAfterAck: number
  completed: number
  samples: string[]
  /** CPU used by the process from the plan to the report, as % of one core. */
  cpuPercent: number
}

export type FromClients =
  | { kind: 'ready' }
  | ({ kind: 'progress' } & ClientsProgress)
  | ({ kind: 'connected' } & ClientsProgress)
  | ({ kind: 'live' } & ClientsProgress)
  | { kind: 'complete' }
  | ({ kind: 'report' } & ClientsReport)
  | { kind: 'closed' }

/** `扇出压测 <run> o<index> <group>` for measured orders, `… w<k> *` for warm-ups. */
export const orderTitle = (runTag: string, key: string, group: string) => `扇出压测 ${runTag} ${key} ${group}`

/** The parts of a bench case title: run, kind ('o' measured order, 'w' warm-up), index, group ('*' for warm-ups). */
export function parseTitle(
  title: string,
): { runTag: string; kind: 'o' | 'w'; index: number; group: string } | undefined {
  const m = /^扇出压测 (\S+) ([ow])(\d+) (\S+)$/.exec(title)
  return m ? { runTag: m[1]!, kind: m[2] as 'o' | 'w', index: Number(m[3]), group: m[4]! } : undefined
}
