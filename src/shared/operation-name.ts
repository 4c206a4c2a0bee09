// The name the request log and the metrics give a GraphQL request, read from its text without
// parsing it (the log line is written for every request, parsed or refused).

/** What GraphQL ignores before the first token: white space, commas, a byte order mark, comments. */
const IGNORED = /^(?:[\s,\uFEFF]|#[^\n\r]*)*/

/**
 * An operation's keyword and name, if any, then its first field (an alias counts as the field). What
 * may stand between `{` and the field splits one way only (a comment runs to its line's end), so a
 * text that does not match fails at once: this runs on every request, before any limit.
 */
const HEAD =
  /^(?:(query|mutation|subscription)\b\s*([_A-Za-z][_0-9A-Za-z]*)?[^{]*)?\{(?:[\s,]|#[^\n\r]*(?=[\n\r]|$))*([_A-Za-z][_0-9A-Za-z]*)/

/**
 * The operation's name, or for an anonymous one its kind and first field (`{ me { id } }` →
 * `query me`); undefined when the text starts otherwise (a fragment first, not GraphQL at all).
 * Only the first 500 characters are read.
 */
export function operationNameOf(query: string | undefined): string | undefined {
  const m = query && HEAD.exec(query.slice(0, 500).replace(IGNORED, ''))
  return m ? (m[2] ?? `${m[1] ?? 'query'} ${m[3]}`) : undefined
}
