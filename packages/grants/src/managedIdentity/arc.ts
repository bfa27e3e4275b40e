/**
 * Azure Arc: a first request answered `401` with a `WWW-Authenticate: Basic realm=<key file>`
 * challenge, the key file read from the agent's token folder only (at most 4 KB), and a
 * second request carrying it.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import type { TaskEither } from 'fp-ts/TaskEither'
import { configError, headerValue, validationError, type AuthError, type HttpRequest, type HttpResponse } from '@authfold/core'
import { oauthErrorOf, readManagedIdentityAnswer } from './answer.js'
import { getWithQuery } from './query.js'

/**
 * The file effect Azure Arc needs: the size of a file, then its text. `@authfold/node`'s
 * `arcKeyFiles()` implements it with `node:fs`.
 *
 * @category model
 * @since 0.1.0
 */
export interface ArcKeyFiles {
  readonly size: (path: string) => TaskEither<AuthError, number>
  readonly read: (path: string) => TaskEither<AuthError, string>
}

/**
 * The largest key file read (MSAL Python's 4 KB).
 *
 * @category constants
 * @since 0.1.0
 */
export const ARC_MAX_KEY_BYTES = 4096

/**
 * `GET <endpoint>?api-version=2020-06-01&resource=...` with `Metadata: true`, and on the
 * second round `Authorization: Basic <key>`.
 *
 * @category requests
 * @since 0.1.0
 * @see MSAL Python `_obtain_token_on_arc`
 */
export const arcRequest = (endpoint: string, resource: string, key?: string): HttpRequest =>
  getWithQuery(endpoint, { 'api-version': '2020-06-01', resource }, key === undefined ? { Metadata: 'true' } : { Metadata: 'true', Authorization: `Basic ${key}` })

const trimSeparators = (p: string): string => p.replace(/[\\/]+$/, '')

/**
 * The key file an Arc challenge names, accepted only inside `keyFolder` (a plain file name
 * ending in `.key`, no `..`, directly in the folder). The answer must be a `401` with
 * `WWW-Authenticate: Basic realm=<path>`; anything else is an error, and nothing is read.
 *
 * @category steps
 * @since 0.1.0
 * @see MSAL Python `_obtain_token_on_arc`
 */
export const arcKeyPath = (challenge: HttpResponse, keyFolder: string | undefined): E.Either<AuthError, string> => {
  if (keyFolder === undefined || keyFolder === '')
    return E.left(configError('unsupported', 'Azure Arc is supported on Linux and Windows only: no key folder is known on this platform.', 'arcKeyFolder'))
  const header = headerValue(challenge.headers, 'www-authenticate') ?? ''
  const parts = header.split('=')
  const [scheme, path] = parts
  if (parts.length !== 2 || scheme === undefined || path === undefined || scheme.trim().toLowerCase() !== 'basic realm')
    return E.left(validationError('tampered', `Azure Arc answered HTTP ${challenge.status} without a "Basic realm=<key file>" challenge; check that the Arc agent (himds) is running.`))
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'))
  const dir = trimSeparators(path.slice(0, Math.max(cut, 0)))
  const name = path.slice(cut + 1)
  const folder = trimSeparators(keyFolder)
  const windows = folder.includes('\\')
  const sameFolder = windows ? dir.toLowerCase() === folder.toLowerCase() : dir === folder
  if (cut < 0 || !sameFolder || !/^[A-Za-z0-9_-][A-Za-z0-9._-]*\.key$/.test(name) || name.includes('..'))
    return E.left(validationError('tampered', `The Azure Arc challenge names a key file outside ${folder} (or not a .key file); it was not read. Check that the endpoint is the local Arc agent.`))
  return E.right(`${folder}${windows ? '\\' : '/'}${name}`)
}

/**
 * Refuses a key file larger than {@link ARC_MAX_KEY_BYTES}, before it is read.
 *
 * @category steps
 * @since 0.1.0
 */
export const checkArcKeySize = (size: number): E.Either<AuthError, number> =>
  size > ARC_MAX_KEY_BYTES || size < 0 || !Number.isFinite(size)
    ? E.left(validationError('tampered', `The Azure Arc key file is ${size} bytes; at most ${ARC_MAX_KEY_BYTES} are accepted, so it was not read. Check the Arc agent's installation.`))
    : E.right(size)

/**
 * Reads Arc's token answer (`expires_in` as a number in a string).
 *
 * @category decoders
 * @since 0.1.0
 */
export const readArcAnswer = (url: string) => readManagedIdentityAnswer({ subject: 'Azure Arc managed identity answer', url, lifetime: 'expires_in', errorOf: oauthErrorOf })
