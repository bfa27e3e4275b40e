/**
 * @module
 */
import type { HttpRequest } from '@authfold/core'

/**
 * A GET request to `endpoint` with these query parameters added (form-encoded as Python's
 * `requests` encodes them) and these headers.
 *
 * @category steps
 * @since 0.1.0
 */
export const getWithQuery = (endpoint: string, params: Readonly<Record<string, string | undefined>>, headers: Readonly<Record<string, string>>): HttpRequest => {
  const url = new URL(endpoint)
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.append(k, v)
  return { method: 'GET', url: url.toString(), headers }
}
