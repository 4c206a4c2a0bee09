// One typed topic map. Topics are scoped by id; payloads carry ids only, and subscribers re-fetch
// rows through Prisma so that selections and authorization still apply.
import { createPubSub, type PubSub } from 'graphql-yoga'

export type Topics = {
  'grid:updated': [gridId: string, payload: { id: string }]
}

export type AppPubSub = PubSub<Topics>

export function createAppPubSub(): AppPubSub {
  return createPubSub<Topics>()
}
