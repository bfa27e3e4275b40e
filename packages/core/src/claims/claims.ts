/**
 * Client capabilities and claims challenges: both travel in the `claims` request
 * parameter (OpenID Connect Core §5.5).
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import type { Either } from 'fp-ts/Either'
import { configError } from '../errors/errors.js'
import type { ConfigError } from '../errors/errors.js'

/**
 * Merges client capabilities (e.g. `["cp1"]`) into a claims challenge, as MSAL does:
 * the capabilities become `{"access_token": {"xms_cc": {"values": [...]}}}`, added to
 * (or replacing the `xms_cc` of) the challenge's `access_token` member. Without
 * capabilities the challenge is returned unchanged (even when it is not JSON, as MSAL
 * does); with capabilities and no challenge, only the capabilities are sent.
 * The JSON is written with Python's `json.dumps` separators so the wire form is MSAL
 * Python's byte for byte. A challenge that is not a JSON object, or whose
 * `access_token` member is not an object, is a {@link ConfigError} (never a throw).
 *
 * @category claims
 * @since 0.1.0
 * @see MSAL Python `msal.application._merge_claims_challenge_and_capabilities`
 */
export const mergeClaimsChallengeAndCapabilities = (
  capabilities?: ReadonlyArray<string>,
  claimsChallenge?: string,
): Either<ConfigError, string | undefined> => {
  if (capabilities === undefined || capabilities.length === 0) return E.right(claimsChallenge)
  let claims: unknown = {}
  if (claimsChallenge !== undefined && claimsChallenge !== '') {
    try {
      claims = JSON.parse(claimsChallenge) as unknown
    } catch {
      return E.left(
        configError(
          'invalid_argument',
          'The claims challenge is not valid JSON; pass the value of the "claims" directive from the resource\'s WWW-Authenticate header, base64-decoded.',
          'claimsChallenge',
        ),
      )
    }
  }
  if (!isPlainObject(claims))
    return E.left(configError('invalid_argument', 'The claims challenge must be a JSON object such as {"access_token": {...}}.', 'claimsChallenge'))
  const accessToken = claims['access_token'] ?? {}
  if (!isPlainObject(accessToken))
    return E.left(
      configError('invalid_argument', 'The claims challenge\'s "access_token" member must be a JSON object.', 'claimsChallenge'),
    )
  const merged = { ...claims, access_token: { ...accessToken, xms_cc: { values: [...capabilities] } } }
  return E.right(pythonJsonDumps(merged))
}

/**
 * Serializes JSON the way Python's `json.dumps` does by default (`", "` and `": "`
 * separators, non-ASCII escaped as `\uXXXX`), so request bodies match MSAL Python's.
 *
 * @category utils
 * @since 0.1.0
 */
export const pythonJsonDumps = (value: unknown): string => {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'string') return asciiString(value)
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null'
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`
  if (typeof value === 'object')
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${asciiString(k)}: ${pythonJsonDumps(v)}`)
      .join(', ')}}`
  return 'null'
}

const asciiString = (s: string): string =>
  JSON.stringify(s).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

const isPlainObject = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)
