// Connection options shared by every list that counts its rows.

/**
 * Connection options of a counted connection (`totalCount: true` on a related connection, or a
 * `totalCount` function on a root one): the count field, described. plugin-prisma hands the
 * connection either the number or a function that reads it.
 */
export const COUNTED = {
  fields: (t: { int: (o: object) => unknown }) => ({
    totalCount: t.int({
      nullable: false,
      extensions: { pothosPrismaTotalCount: true },
      resolve: (parent: { totalCount: number | (() => Promise<number> | number) }) =>
        typeof parent.totalCount === 'function' ? parent.totalCount() : parent.totalCount,
      description: 'Number of items across all pages, under the same filters and read policy (总数).',
    }),
  }),
} as never

type Listing = { where: object; orderBy: object | object[] }
type Delegate = { findMany(args: object): Promise<unknown[]>; count(args: object): Promise<number> }

/**
 * A root list (a `prismaConnection` on Query): its `resolve` and its `totalCount`, both from one
 * builder of the list's `where` and order, read through the viewer's reader. The count therefore
 * sees exactly the rows the pages do, under the same read policy; the builder runs once per field.
 *
 *   cases: t.prismaConnection({ type: 'Case', cursor: 'id', args, ...rootList('case', (args, ctx) => ({ where, orderBy })) }, COUNTED)
 */
export function rootList<A extends object, C extends { reader: object }>(
  model: string,
  build: (args: A, ctx: C) => Listing | Promise<Listing>,
) {
  const built = new WeakMap<object, Promise<Listing>>()
  const listing = (args: A, ctx: C) => {
    let p = built.get(args)
    if (!p) built.set(args, (p = Promise.resolve(build(args, ctx))))
    return p
  }
  const delegate = (ctx: C) => (ctx.reader as Record<string, Delegate>)[model]!
  return {
    resolve: async (query: object, _parent: unknown, args: A, ctx: C) =>
      delegate(ctx).findMany({ ...query, ...(await listing(args, ctx)) }) as Promise<never[]>,
    totalCount: async (_parent: unknown, args: A, ctx: C) =>
      delegate(ctx).count({ where: (await listing(args, ctx)).where }),
  }
}
