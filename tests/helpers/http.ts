// GraphQL over HTTP for tests: POST application/json, optional bearer token.
export interface GqlResponse<T = any> {
  status: number
  headers: Headers
  data?: T
  errors?: { message: string; extensions?: Record<string, unknown>; path?: (string | number)[] }[]
}

export async function gql<T = any>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  opts: { token?: string; headers?: Record<string, string> } = {},
): Promise<GqlResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...opts.headers,
    },
    body: JSON.stringify({ query, variables }),
  })
  const text = await res.text()
  let body: { data?: T; errors?: GqlResponse['errors'] }
  try {
    body = JSON.parse(text)
  } catch {
    body = { errors: [{ message: text }] }
  }
  return { status: res.status, headers: res.headers, ...body }
}

/** A client bound to one URL and token; `must` fails the test on any GraphQL error. */
export function client(url: string, token?: string) {
  return {
    query: <T = any>(query: string, variables?: Record<string, unknown>) => gql<T>(url, query, variables, { token }),
    async must<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
      const res = await gql<T>(url, query, variables, { token })
      if (res.errors?.length || !res.data) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`)
      return res.data
    },
  }
}
