// plugin-prisma hands a prismaField resolver `{ select: {} }` when the client asked for none of the
// row's fields (e.g. a mutation answered with `{ __typename }` only, the payload's row unselected),
// and Prisma refuses an empty select. Every resolver spreads its query through this.
export function rowQuery<Q extends object>(query: Q): Q {
  const select = (query as { select?: object }).select
  return select && Object.keys(select).length === 0 ? { ...query, select: { id: true } } : query
}
