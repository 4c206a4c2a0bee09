// Expected failures of the volunteer module beyond the shared ones (src/shared/errors.ts).
import { BaseError } from '../../shared/errors.js'

/** Every place of the activity is taken. */
export class ActivityFullError extends BaseError {
  constructor(
    readonly activityId: string,
    readonly capacity: number,
  ) {
    super('volunteer/activity-full', `All ${capacity} places of the activity are taken`)
  }
}

/** The person already holds a live signup for the activity. */
export class AlreadySignedUpError extends BaseError {
  constructor(readonly signupId: string) {
    super('volunteer/already-signed-up', 'You are already signed up for this activity')
  }
}

/** The balance does not cover the points asked for; nothing was moved. */
export class InsufficientPointsError extends BaseError {
  constructor(
    readonly balance: number,
    readonly required: number,
  ) {
    super('volunteer/insufficient-points', `The balance of ${balance} points does not cover ${required}`)
  }
}

/** The reward item has fewer pieces in stock than asked for. */
export class OutOfStockError extends BaseError {
  constructor(
    readonly itemId: string,
    readonly stock: number,
  ) {
    super('volunteer/out-of-stock', `Only ${stock} left in stock`)
  }
}

/** Self check-in/out outside the activity's time window. */
export class OutsideTimeWindowError extends BaseError {
  constructor(message: string) {
    super('volunteer/outside-time-window', message)
  }
}
