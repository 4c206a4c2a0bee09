// Expected failures of the party module beyond the shared ones (src/shared/errors.ts).
import { BaseError } from '../../shared/errors.js'

/** A member (or unit party org) already has a submitted or approved report in that community. */
export class ActiveReportExistsError extends BaseError {
  constructor(
    readonly existingReportId: string,
    who: string,
    community: string,
  ) {
    super(
      'party/active-report-exists',
      `${who} already has an active dual report in ${community}; withdraw or transfer it first`,
    )
  }
}
