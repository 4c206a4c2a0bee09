// Expected failures are schema types (Pothos errors plugin): the `Error` interface, `BaseError`
// and one subclass per reason, each with a stable `domain/reason` code. Anything else thrown is
// unexpected and is masked by yoga.
export class BaseError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = new.target.name
  }
}

export class NotFoundError extends BaseError {
  constructor(
    readonly entity: string,
    id?: string,
  ) {
    super('common/not-found', `${entity}${id ? ` ${id}` : ''} was not found or is not visible to you`)
  }
}

export class ForbiddenError extends BaseError {
  constructor(message = 'You are not allowed to do this') {
    super('auth/forbidden', message)
  }
}

export interface FieldIssue {
  path: string
  message: string
}

export class ValidationFailedError extends BaseError {
  constructor(
    readonly issues: FieldIssue[],
    message = 'The input is not valid',
  ) {
    super(
      'common/validation-failed',
      `${message}: ${issues.map((i) => `${i.path || 'input'}: ${i.message}`).join('; ')}`,
    )
  }
}

export class StaleVersionError extends BaseError {
  constructor(
    readonly entity: string,
    readonly expectedVersion: number,
    readonly actualVersion: number | null,
  ) {
    super(
      'common/stale-version',
      `${entity} was changed by someone else (you sent version ${expectedVersion}, it is now ${actualVersion ?? 'unknown'}); reload and retry`,
    )
  }
}

export class InvalidTransitionError extends BaseError {
  constructor(
    readonly entity: string,
    readonly from: string,
    readonly action: string,
  ) {
    super('common/invalid-transition', `${entity} in state ${from} does not allow ${action}`)
  }
}

export class ConflictError extends BaseError {
  constructor(message: string) {
    super('common/conflict', message)
  }
}
