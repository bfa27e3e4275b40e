/**
 * Finding and removing access tokens.
 *
 * A query names one "slot" (client, home account, realm, token type, key id, ext cache
 * key, user assertion hash) in each environment alias, and a set of scopes. The lookup
 * visits the `slot` index bucket of each alias, i.e. only the tokens of that account,
 * app and tenant, whatever the size of the cache.
 *
 * @module
 */
import { hamtEntries, hamtGet, hamtValues } from './hamt.js'
import {
  ACCESS_TOKEN_WITH_AUTH_SCHEME,
  CredentialType,
  eqi,
  keyIdOf,
  nonEmpty,
  scopesOf,
  secondsOf,
  str,
  tokenTypeOf,
  userAssertionHashOf,
  type AccessTokenEntity,
} from './schema.js'
import {
  accessTokenSlot,
  modifyTable,
  specs,
  tableBucket,
  tableScanBuckets,
  tableIndexOrScan,
  tableKeyOf,
  tableRemove,
  type CacheState,
} from './state.js'

/**
 * What to look for.
 *
 * Matching rules: `clientId`, `environments`, `realm`, `homeAccountId` and `tokenType`
 * compare case-insensitively (`homeAccountId: ''` matches entries whose
 * `home_account_id` is `''`, `null` or missing: application tokens); `tokenType`
 * defaults to `Bearer` (entries without `token_type`, or with `null`, are Bearer). A
 * Bearer query answers only entries whose `credential_type` is `AccessToken`; a query of
 * another scheme (`pop`, `ssh-cert`, ...) answers `AccessToken` entries (MSAL Python's and
 * MSAL .NET's way) and `AccessToken_With_AuthScheme` entries (msal-node's) of that token
 * type, both case-insensitively, as msal-common's `credentialMatchesFilter` does; `keyId`,
 * `extCacheKey` and `userAssertionHash` compare exactly and absent matches absent only,
 * so an FMI, OBO, PoP or SSH token never answers a plain query and vice versa (MSAL
 * Python's ext_cache_key isolation, applied to all three); `scopes` must all be in the
 * entry's target, case-insensitively (no scopes: every target matches). When `nowSeconds` is
 * given, tokens whose `expires_on` is before it are left out.
 *
 * @category model
 * @since 0.1.0
 * @see MSAL Python `TokenCache.search(CredentialType.ACCESS_TOKEN, ...)`
 */
export interface AccessTokenQuery {
  readonly clientId: string
  /** The authority's alias group; the token may be stored under any of them. */
  readonly environments: ReadonlyArray<string>
  readonly realm: string
  /** `''` for application (client credentials) tokens. */
  readonly homeAccountId: string
  /** Must all be in the token's target (case-insensitive). */
  readonly scopes: ReadonlyArray<string>
  readonly keyId?: string
  readonly extCacheKey?: string
  readonly userAssertionHash?: string
  readonly tokenType?: string
  /** When given, expired tokens (`expires_on` < now) are left out. */
  readonly nowSeconds?: number
}

const lowerSet = (xs: ReadonlyArray<string>): ReadonlySet<string> => new Set(xs.map((x) => x.toLowerCase()))

/**
 * True when every scope is in `target` (case-insensitive).
 *
 * @category predicates
 * @since 0.1.0
 */
export const targetContains = (target: string | null | undefined, scopes: ReadonlyArray<string>): boolean => {
  if (scopes.length === 0) return true
  const t = str(target)
  let have: ReadonlySet<string> | undefined
  for (const s of scopes) {
    if (hasExactToken(t, s)) continue
    have ??= lowerSet(scopesOf(t))
    if (!have.has(s.toLowerCase())) return false
  }
  return true
}

const SPACE = /\s/

/**
 * True when `scope` is one of the whitespace-separated tokens of `target` as written (no
 * case folding). Allocates nothing: the hit path of every lookup, where the query's scope
 * is spelled as the cache stored it; anything else falls back to the case-insensitive set.
 */
const hasExactToken = (target: string, scope: string): boolean => {
  if (scope === '') return false
  for (let at = target.indexOf(scope); at >= 0; at = target.indexOf(scope, at + 1)) {
    const end = at + scope.length
    if ((at === 0 || SPACE.test(target.charAt(at - 1))) && (end === target.length || SPACE.test(target.charAt(end)))) return true
  }
  return false
}

/**
 * True when two targets share a scope (case-insensitive). This is the test MSAL uses to
 * replace an older access token by a new one.
 *
 * @category predicates
 * @since 0.1.0
 * @see msal-common `ScopeSet.intersectingScopeSets`
 */
export const targetsIntersect = (a: string | null | undefined, b: string | null | undefined): boolean => {
  const as = lowerSet(scopesOf(a))
  return scopesOf(b).some((s) => as.has(s.toLowerCase()))
}


/**
 * The `credential_type` values that may answer a query for `tokenType`: `AccessToken` for
 * Bearer; `AccessToken` and `AccessToken_With_AuthScheme` for any other scheme.
 *
 * @category predicates
 * @since 0.1.0
 * @see msal-common `CacheManager.getAccessToken` (the `credentialType` of its filter)
 */
export const accessTokenCredentialTypesFor = (tokenType: string | undefined): ReadonlyArray<string> =>
  tokenType === undefined || eqi(tokenType, 'Bearer') ? BEARER_CREDENTIAL_TYPES : SCHEME_CREDENTIAL_TYPES

// constants, so the hit path allocates no array per call
const BEARER_CREDENTIAL_TYPES: ReadonlyArray<string> = [CredentialType.ACCESS_TOKEN]
const SCHEME_CREDENTIAL_TYPES: ReadonlyArray<string> = [CredentialType.ACCESS_TOKEN, ACCESS_TOKEN_WITH_AUTH_SCHEME]

/**
 * The plain predicate behind {@link findAccessTokens}: does this entry answer the
 * query? Use it for a linear scan (tests compare the indexed lookup against it).
 *
 * @category predicates
 * @since 0.1.0
 */
export const matchesAccessTokenQuery =
  (q: AccessTokenQuery) =>
  (e: AccessTokenEntity): boolean =>
    eqi(str(e.client_id), q.clientId) &&
    someEqi(q.environments, str(e.environment)) &&
    eqi(str(e.realm), q.realm) &&
    eqi(str(e.home_account_id), q.homeAccountId) &&
    eqi(tokenTypeOf(e), q.tokenType ?? 'Bearer') &&
    someEqi(accessTokenCredentialTypesFor(q.tokenType), e.credential_type) &&
    keyIdOf(e) === nonEmpty(q.keyId) &&
    nonEmpty(e.ext_cache_key) === nonEmpty(q.extCacheKey) &&
    userAssertionHashOf(e) === nonEmpty(q.userAssertionHash) &&
    targetContains(e.target, q.scopes) &&
    (q.nowSeconds === undefined || secondsOf(e.expires_on) >= q.nowSeconds)

/** True when `x` equals one of `xs` (case-insensitive); a loop, so no closure per call. */
const someEqi = (xs: ReadonlyArray<string>, x: string): boolean => {
  for (const y of xs) if (eqi(y, x)) return true
  return false
}

const uniq = (xs: ReadonlyArray<string>): ReadonlyArray<string> => {
  const seen = new Set<string>()
  return xs.filter((x) => {
    const k = x.toLowerCase()
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

/**
 * The `[key, entry]` pairs the index offers for a query before the scope and expiry
 * filter: the union of the query's slot buckets over its environments. Its length is
 * the work a lookup does; it does not grow with the rest of the cache.
 *
 * @category queries
 * @since 0.1.0
 */
export const accessTokenCandidates =
  (q: AccessTokenQuery) =>
  (s: CacheState): ReadonlyArray<readonly [string, AccessTokenEntity]> =>
    uniq(q.environments).flatMap((environment) =>
      accessTokenCredentialTypesFor(q.tokenType).flatMap((credentialType) =>
        tableBucket(
          s.accessTokens,
          'slot',
          accessTokenSlot({
            clientId: q.clientId,
            homeAccountId: q.homeAccountId,
            environment,
            realm: q.realm,
            tokenType: q.tokenType ?? 'Bearer',
            credentialType,
            keyId: nonEmpty(q.keyId),
            extCacheKey: nonEmpty(q.extCacheKey),
            userAssertionHash: nonEmpty(q.userAssertionHash),
          }),
        ),
      ),
    )

/**
 * The access tokens that answer the query (see {@link AccessTokenQuery} for the rules),
 * found through the index in time proportional to the answer, not to the cache.
 * The result is in no particular order; pick by `expires_on` when several match.
 *
 * @category queries
 * @since 0.1.0
 * @see MSAL Python `TokenCache.search(CredentialType.ACCESS_TOKEN, target, query)`
 */
export const findAccessTokens =
  (q: AccessTokenQuery) =>
  (s: CacheState): ReadonlyArray<AccessTokenEntity> => {
    // the same walk as accessTokenCandidates, in loops: a cache hit is one bucket of one
    // entry, and this is every lookup's hot path, so it builds no intermediate arrays
    const match = matchesAccessTokenQuery(q)
    const credentialTypes = accessTokenCredentialTypesFor(q.tokenType)
    const tokenType = q.tokenType ?? 'Bearer'
    const keyId = nonEmpty(q.keyId)
    const extCacheKey = nonEmpty(q.extCacheKey)
    const userAssertionHash = nonEmpty(q.userAssertionHash)
    const index = tableIndexOrScan(s.accessTokens, 'slot')
    const out: Array<AccessTokenEntity> = []
    const envs = q.environments
    // a loaded table whose slot index is not built yet: its buckets, for one scan
    const scan: Array<string> | undefined = index === undefined ? [] : undefined
    for (let i = 0; i < envs.length; i++) {
      const environment = envs[i] as string
      if (someEqiBefore(envs, i, environment)) continue // an alias listed twice (case-insensitive)
      for (const credentialType of credentialTypes) {
        const bucket = accessTokenSlot({ clientId: q.clientId, homeAccountId: q.homeAccountId, environment, realm: q.realm, tokenType, credentialType, keyId, extCacheKey, userAssertionHash })
        if (index === undefined) {
          scan?.push(bucket)
          continue
        }
        const set = hamtGet(index, bucket)
        if (set === undefined) continue
        if (typeof set === 'string') {
          const e = hamtGet(s.accessTokens.entries, set)
          if (e !== undefined && match(e)) out.push(e)
        } else for (const [, e] of tableBucket(s.accessTokens, 'slot', bucket)) if (match(e)) out.push(e)
      }
    }
    if (scan !== undefined) for (const pairs of tableScanBuckets(s.accessTokens, 'slot', scan)) for (const [, e] of pairs) if (match(e)) out.push(e)
    return out
  }

/** True when one of `xs[0..i)` equals `x` (case-insensitive). */
const someEqiBefore = (xs: ReadonlyArray<string>, i: number, x: string): boolean => {
  for (let j = 0; j < i; j++) if (eqi(xs[j], x)) return true
  return false
}

/**
 * What {@link findAccessTokens} is: a query, then a state, then the matching entries.
 *
 * @category model
 * @since 0.1.0
 */
export type AccessTokenFinder = (q: AccessTokenQuery) => (s: CacheState) => ReadonlyArray<AccessTokenEntity>

// Every field of a query, each string length-prefixed (so no value, whatever it holds, can
// be mistaken for two): equal keys are equal queries. An absent field is '-'.
const part = (v: string | undefined): string => (v === undefined ? '-' : `${v.length}:${v}`)
const list = (vs: ReadonlyArray<string>): string => {
  let out = `${vs.length}[`
  for (const v of vs) out += part(v)
  return out
}
const queryKey = (q: AccessTokenQuery): string =>
  part(q.clientId) + list(q.environments) + part(q.realm) + part(q.homeAccountId) + list(q.scopes) + part(q.keyId) + part(q.extCacheKey) + part(q.userAssertionHash) + part(q.tokenType)

const sameList = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean => {
  if (a === b) return true
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** True when the two queries have the same {@link queryKey} (every field equal, exactly). */
const sameQuery = (a: AccessTokenQuery, b: AccessTokenQuery): boolean =>
  a === b ||
  (a.clientId === b.clientId &&
    a.realm === b.realm &&
    a.homeAccountId === b.homeAccountId &&
    a.keyId === b.keyId &&
    a.extCacheKey === b.extCacheKey &&
    a.userAssertionHash === b.userAssertionHash &&
    a.tokenType === b.tokenType &&
    sameList(a.environments, b.environments) &&
    sameList(a.scopes, b.scopes))

/**
 * What {@link findAccessTokens} is, uncurried: a query and a state in, the matching entries
 * out. A hot path calls it with no closure built per call.
 *
 * @category model
 * @since 0.1.0
 */
export type AccessTokenLookup = (q: AccessTokenQuery, s: CacheState) => ReadonlyArray<AccessTokenEntity>

/**
 * An {@link AccessTokenLookup} that remembers its answers per state and query: states are
 * immutable, so the same query on the same state has the same answer, and a hot path (a
 * facade answering cache hits) asks it again and again until the next write. Answers are
 * kept in a `WeakMap` keyed by the state (dropped with it) and at most `maxQueries` per
 * state. Queries with `nowSeconds` are not remembered (their answer depends on it).
 *
 * @example
 * ```ts
 * import { memoizedAccessTokenLookup, type AccessTokenQuery, type CacheState } from '@authfold/cache'
 *
 * declare const query: AccessTokenQuery, state: CacheState
 * const lookup = memoizedAccessTokenLookup()
 * const tokens = lookup(query, state) // the second call with an equal query on `state` is a map lookup
 * ```
 * @category queries
 * @since 0.1.0
 */
export const memoizedAccessTokenLookup = (maxQueries = 256): AccessTokenLookup => {
  const answers = new WeakMap<CacheState, Map<string, ReadonlyArray<AccessTokenEntity>>>()
  // the last query and its key: a facade asks the same query (a new object with equal
  // fields) call after call, and comparing fields allocates nothing where building the key does
  let last: { readonly q: AccessTokenQuery; readonly key: string } | undefined
  return (q, s) => {
    if (q.nowSeconds !== undefined) return findAccessTokens(q)(s)
    let key: string
    if (last !== undefined && sameQuery(last.q, q)) key = last.key
    else last = { q, key: (key = queryKey(q)) }
    let known = answers.get(s)
    const found = known?.get(key)
    if (found !== undefined) return found
    const answer = findAccessTokens(q)(s)
    if (known === undefined) answers.set(s, (known = new Map()))
    if (known.size >= maxQueries) known.clear()
    known.set(key, answer)
    return answer
  }
}

/**
 * A {@link findAccessTokens} that remembers its answers per state and query: the curried
 * form of {@link memoizedAccessTokenLookup} (the same memo, the same answers).
 *
 * @example
 * ```ts
 * import { memoizedAccessTokenFinder, type AccessTokenQuery, type CacheState } from '@authfold/cache'
 *
 * declare const query: AccessTokenQuery, state: CacheState
 * const find = memoizedAccessTokenFinder()
 * const tokens = find(query)(state) // the second call with an equal query on `state` is a map lookup
 * ```
 * @category queries
 * @since 0.1.0
 */
export const memoizedAccessTokenFinder = (maxQueries = 256): AccessTokenFinder => {
  const lookup = memoizedAccessTokenLookup(maxQueries)
  return (q) => (s) => lookup(q, s)
}

/**
 * The same answer as {@link findAccessTokens} by a plain scan of every access token:
 * O(n), for tests and for users who doubt the index.
 *
 * @category queries
 * @since 0.1.0
 */
export const scanAccessTokens =
  (q: AccessTokenQuery) =>
  (s: CacheState): ReadonlyArray<AccessTokenEntity> =>
    Array.from(hamtValues(s.accessTokens.entries)).filter(matchesAccessTokenQuery(q))

/**
 * The cache key an access token returned by a query is stored under, if it is still there.
 *
 * @category queries
 * @since 0.1.0
 */
export const accessTokenKeyOf =
  (entry: AccessTokenEntity) =>
  (s: CacheState): string | undefined =>
    tableKeyOf(specs.accessTokens, s.accessTokens, 'slot', entry)

/**
 * Removes one access token (an entry a query returned, matched by reference). No-op when
 * it is already gone.
 *
 * @category removal
 * @since 0.1.0
 * @see MSAL Python `TokenCache.remove_at`
 */
export const removeAccessToken =
  (entry: AccessTokenEntity) =>
  (s: CacheState): CacheState => {
    const key = accessTokenKeyOf(entry)(s)
    return key === undefined ? s : modifyTable('accessTokens', (t) => tableRemove(specs.accessTokens, t, key))(s)
  }

/**
 * Removes every access token that expired before `nowSeconds` (MSAL Python drops them
 * while searching; here it is an explicit step). O(n) in the number of access tokens.
 *
 * @category removal
 * @since 0.1.0
 * @see MSAL Python `TokenCache.search` (expired access tokens are removed)
 */
export const removeExpiredAccessTokens =
  (nowSeconds: number) =>
  (s: CacheState): CacheState => {
    let t = s.accessTokens
    for (const [k, e] of hamtEntries(s.accessTokens.entries)) {
      if (secondsOf(e.expires_on) < nowSeconds) t = tableRemove(specs.accessTokens, t, k)
    }
    return t === s.accessTokens ? s : { ...s, accessTokens: t }
  }
