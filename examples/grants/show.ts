/**
 * What the examples print of a token result: its type, where it came from, its lifetime and
 * who it is for. Never a token: only its length.
 */
import type { UserAuthResult } from '@authfold/grants'

/** One line describing a token result, the token itself left out. */
export const show = (r: UserAuthResult): string =>
  [
    `${r.token_type} token from ${r.token_source}`,
    `(${r.access_token.length} chars, expires in ${r.expires_in} s)`,
    ...(r.account === undefined ? [] : [`for ${r.account.username}`]),
  ].join(' ')

/** Prints what an example checks; a failed check makes the example exit 1. */
export const check = (ok: boolean, what: string): void => {
  console.log(`${ok ? 'ok' : 'FAILED'}: ${what}`)
  if (!ok) process.exitCode = 1
}
