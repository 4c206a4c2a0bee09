// Explicit transition tables (state × action × actor, DESIGN §3) and their application with
// optimistic concurrency: the parts every workflow shares. Each module keeps its own table, its
// actors and its timeline; this file knows none of them.
import type { z } from 'zod'
import type { Context } from '../context.js'
import type { PrismaClient, Tx } from '../db.js'
import { type BaseError, ForbiddenError, InvalidTransitionError, NotFoundError, StaleVersionError } from './errors.js'
import { parseInput } from './validate.js'

export interface Transition<S extends string, Actor extends string> {
  from: readonly S[]
  /** Target state; `null` keeps the current one. */
  to: S | null
  actors: readonly Actor[]
  /** Relations that bar the action even when another one allows it (nobody verifies their own work). */
  excluded?: readonly Actor[]
}

export type Check<S extends string> = { ok: true; to: S | null } | { ok: false; reason: 'actor' | 'excluded' | 'state' }

/**
 * Checks one action against a table: the caller's relation to the row first, so that someone
 * without any right learns nothing about the row's state, then the state.
 */
export function check<S extends string, A extends string, Actor extends string>(
  table: Record<A, Transition<S, Actor>>,
  action: A,
  from: S,
  actors: Iterable<Actor>,
): Check<S> {
  const t = table[action]
  const mine = new Set(actors)
  if (!t.actors.some((a) => mine.has(a))) return { ok: false, reason: 'actor' }
  if (t.excluded?.some((a) => mine.has(a))) return { ok: false, reason: 'excluded' }
  if (!t.from.includes(from)) return { ok: false, reason: 'state' }
  return { ok: true, to: t.to }
}

/** The typed error for a refused check: Forbidden for the caller, InvalidTransition for the state. */
export function refusal(
  entity: string,
  from: string,
  action: string,
  reason: 'actor' | 'excluded' | 'state',
): BaseError {
  const verb = action.toLowerCase().replace(/_/g, ' ')
  if (reason === 'actor') return new ForbiddenError(`You cannot ${verb} this ${entity}`)
  if (reason === 'excluded') return new ForbiddenError(`You cannot ${verb} this ${entity}: it is your own work`)
  return new InvalidTransitionError(entity, from, action)
}

/** The columns every stateful row has. */
export interface StatefulRow<S extends string> {
  id: string
  version: number
  status: S
}

/** What `applyTransition` needs of a model delegate (e.g. `tx.dualReport`). */
export interface StatefulDelegate<S extends string, Data, Row extends StatefulRow<S> = StatefulRow<S>> {
  updateManyAndReturn(args: { where: { id: string; version: number; status: S }; data: Data }): Promise<Row[]>
  findUnique(args: {
    where: { id: string }
    select: { version: true; status: true }
  }): Promise<{ version: number; status: S } | null>
}

export interface TransitionRequest<S extends string, A extends string, Actor extends string, Data> {
  /** Entity name for typed errors, e.g. `DualReport`. */
  entity: string
  /** The table may name pseudo-states (e.g. a `NEW` for creation); targets must be real states. */
  table: Record<A, Transition<string, Actor>>
  action: A
  /** The row as the caller's request loaded it. */
  row: { id: string; version: number; status: S }
  /** How the caller relates to the row. */
  actors: Iterable<Actor>
  /** The version the client read. */
  version: number
  /** For actions whose target depends on the row; the table's target otherwise. */
  to?: S
  /** Further columns written with the state change. */
  data?: Data
  /** Runs in the transaction before the guarded update, e.g. to lock a parent row in the order every writer takes it. */
  before?: (tx: Tx) => Promise<unknown>
}

export interface Move<S extends string> {
  from: S
  to: S
}

/** Checks a request without writing: Forbidden, then StaleVersion, then InvalidTransition. */
export function planTransition<S extends string, A extends string, Actor extends string, Data>(
  req: TransitionRequest<S, A, Actor, Data>,
): Move<S> {
  const verdict = check(req.table, req.action, req.row.status as string, req.actors)
  if (!verdict.ok && verdict.reason !== 'state') throw refusal(req.entity, req.row.status, req.action, verdict.reason)
  if (req.row.version !== req.version) throw new StaleVersionError(req.entity, req.version, req.row.version)
  if (!verdict.ok) throw refusal(req.entity, req.row.status, req.action, 'state')
  return { from: req.row.status, to: req.to ?? (verdict.to as S | null) ?? req.row.status }
}

/**
 * Applies one action at the version the client read: checks it (planTransition), then in one
 * transaction moves the row from that state and version to the target, bumping the version, and
 * runs `within` (timeline event, side effects) in the same transaction with the row as it is now
 * (the guarded UPDATE returns it: no second read). Of several concurrent
 * callers exactly one wins; the others get StaleVersion, or InvalidTransition once the state has
 * moved on. Publish after this resolves: the transaction has committed by then.
 */
export async function applyTransition<
  S extends string,
  A extends string,
  Actor extends string,
  Data extends object,
  T,
  Row extends StatefulRow<S> = StatefulRow<S>,
>(
  prisma: PrismaClient,
  delegateFor: (tx: Tx) => StatefulDelegate<S, Data & { status: S; version: { increment: number } }, Row>,
  req: TransitionRequest<S, A, Actor, Data>,
  within: (tx: Tx, move: Move<S>, row: Row) => Promise<T>,
): Promise<T> {
  const move = planTransition(req)
  return prisma.$transaction(async (tx) => {
    const delegate = delegateFor(tx)
    await req.before?.(tx)
    const [row] = await delegate.updateManyAndReturn({
      where: { id: req.row.id, version: req.version, status: req.row.status },
      data: { ...((req.data ?? {}) as Data), status: move.to, version: { increment: 1 } },
    })
    if (!row) {
      const now = await delegate.findUnique({ where: { id: req.row.id }, select: { version: true, status: true } })
      if (now && now.version !== req.version) throw new StaleVersionError(req.entity, req.version, now.version)
      throw new InvalidTransitionError(req.entity, now?.status ?? req.row.status, req.action)
    }
    return within(tx, move, row)
  })
}

/** A step's timeline event, for the workflow's own event writer. */
interface StepEvent<S extends string, A extends string> {
  actorId: string | null
  action: A
  from: S
  to: S
  note?: string | null
}

export interface StepOptions<Data, S extends string = never> {
  /** Note on the step's timeline event. */
  note?: string | null
  /** Further columns written with the state change. */
  data?: Data
  /** For actions whose target depends on the row; the table's target otherwise. */
  to?: S
}

/** What a workflow states once about its rows; `defineWorkflow` builds its plan and step from it. */
export interface Workflow<
  S extends string,
  A extends string,
  Actor extends string,
  Data extends object,
  R extends StatefulRow<S>,
  /** The row as the guarded update returns it (scalars only): `R` by default, when `R` is the bare model. */
  Row extends StatefulRow<S> = R,
> {
  /** Entity name for typed errors, e.g. `DualReport`. */
  entity: string
  table: Record<A, Transition<string, Actor>>
  /**
   * The row a step names, as the viewer may read it: through `ctx.reader`, null where the policy
   * hides it, so that a step on a row the viewer cannot read answers NotFound, as for none at all.
   */
  read: (ctx: Context, id: string) => Promise<R | null>
  /** How the viewer relates to the row: the actors the table checks. */
  actors: (ctx: Context, row: R) => Promise<Actor[]>
  /** The delegate for the guarded update (e.g. `tx.dualReport`), given the row the step acts on. */
  delegate: (tx: Tx, row: R) => StatefulDelegate<S, Data & { status: S; version: { increment: number } }, Row>
  /** Runs in the step's transaction before the guarded update, e.g. to lock a parent row first. */
  before?: (tx: Tx, row: R) => Promise<unknown>
  /** Writes the step's timeline event, in the step's transaction; workflows without a timeline have none. */
  log?: (tx: Tx, row: R, event: StepEvent<S, A>) => Promise<unknown>
  /** Notifies after commit. */
  publish?: (ctx: Context, row: R) => unknown
  /** The error to report for one the step threw, e.g. a typed one for a CHECK constraint. */
  mapError?: (e: unknown) => unknown
}

/**
 * A workflow's verbs. `find` reads the row a step names through the read policy, `load` with the
 * viewer's actors. `plan` checks an action without writing (planTransition), for steps that
 * validate their input against the row first. `step` applies it at the version the client read
 * (applyTransition): the timeline event by the viewer, with the step's note, and `within` run in
 * the step's transaction, `within` with the row as the guarded update returned it; the row is
 * published after commit. Without `within` the step answers with that row; a `within` that writes
 * the row again reads it again.
 */
export function defineWorkflow<
  S extends string,
  A extends string,
  Actor extends string,
  Data extends object,
  R extends StatefulRow<S>,
  Row extends StatefulRow<S> = R,
>(w: Workflow<S, A, Actor, Data, R, Row>) {
  const { before } = w
  const request = (
    row: R,
    actors: Iterable<Actor>,
    version: number,
    action: A,
    opts: StepOptions<Data, S> = {},
  ): TransitionRequest<S, A, Actor, Data> => ({
    entity: w.entity,
    table: w.table,
    action,
    row,
    actors,
    version,
    to: opts.to,
    data: opts.data,
    before: before && ((tx) => before(tx, row)),
  })

  /** Without `within`, `T` is the row the guarded update returned. */
  async function step<T = Row>(
    ctx: Context,
    row: R,
    actors: Iterable<Actor>,
    version: number,
    action: A,
    opts: StepOptions<Data, S>,
    within?: (tx: Tx, move: Move<S>, row: Row) => Promise<T>,
  ): Promise<T> {
    const actorId = ctx.viewer?.userId ?? null
    let result: T
    try {
      result = await applyTransition<S, A, Actor, Data, T, Row>(
        ctx.prisma,
        (tx) => w.delegate(tx, row),
        request(row, actors, version, action, opts),
        async (tx, move, updated) => {
          await w.log?.(tx, row, { actorId, action, from: move.from, to: move.to, note: opts.note })
          return within ? within(tx, move, updated) : (updated as unknown as T)
        },
      )
    } catch (e) {
      throw w.mapError ? w.mapError(e) : e
    }
    await w.publish?.(ctx, row) // the publishers that read audiences announce (see announce.ts)
    return result
  }

  /** The row a step names; NotFound where the viewer may not read it. */
  async function find(ctx: Context, id: string): Promise<R> {
    const row = await w.read(ctx, id)
    if (!row) throw new NotFoundError(w.entity, id)
    return row
  }

  /** The row a step names and how the viewer relates to it; NotFound where the viewer may not read it. */
  async function load(ctx: Context, id: string): Promise<{ row: R; actors: Actor[] }> {
    const row = await find(ctx, id)
    return { row, actors: await w.actors(ctx, row) }
  }

  /**
   * A service function for a step that checks nothing on the row first: it parses its input, loads
   * the row the input names and steps it with the options the input gives; `within` as in `step`.
   */
  function inputStep<I extends z.ZodType<{ id: string; version: number }>, T = Row>(
    schema: I,
    action: A,
    opts: (data: z.output<I>, ctx: Context) => StepOptions<Data, S>,
    within?: (tx: Tx, step: { ctx: Context; row: R; data: z.output<I>; updated: Row }) => Promise<T>,
  ) {
    return async (ctx: Context, input: z.input<I>): Promise<T> => {
      const data = parseInput(schema, input)
      const { row, actors } = await load(ctx, data.id)
      return step<T>(
        ctx,
        row,
        actors,
        data.version,
        action,
        opts(data, ctx),
        within && ((tx, _move, updated) => within(tx, { ctx, row, data, updated })),
      )
    }
  }

  return {
    plan: (row: R, actors: Iterable<Actor>, version: number, action: A): Move<S> =>
      planTransition(request(row, actors, version, action)),
    step,
    find,
    load,
    inputStep,
  }
}
