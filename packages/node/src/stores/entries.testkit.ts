/**
 * Shared by the store tests and their worker processes: a distinct access-token entry per
 * key, and small readers of the results.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { modifyTable, serialize, specs, tablePut, type CacheState } from '@authfold/cache'

/** Adds an access-token entry under `key` (its secret and target derive from the key). */
export const addToken =
  (key: string, home = '', clientId = 'app') =>
  (s: CacheState): CacheState =>
    modifyTable('accessTokens', (t) =>
      tablePut(specs.accessTokens, t, key, {
        credential_type: 'AccessToken',
        secret: `secret-${key}`,
        home_account_id: home,
        environment: 'login.example.com',
        client_id: clientId,
        realm: 'tenant',
        target: `api://${key}/.default`,
      }),
    )(s)

/** The Right of an Either, or a thrown error with the Left's message. */
export const right = <A>(r: E.Either<{ readonly message: string }, A>): A => {
  if (E.isLeft(r)) throw new Error(`expected Right, got ${r.left.message}`)
  return r.right
}

/** The access-token keys of a state, sorted. */
export const tokenKeys = (s: CacheState): ReadonlyArray<string> =>
  Object.keys((JSON.parse(serialize(s)) as { readonly AccessToken?: Readonly<Record<string, unknown>> }).AccessToken ?? {}).sort()
