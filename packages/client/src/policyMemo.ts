/**
 * The last cache-first policy a method built, kept for the next call with the same inputs.
 *
 * @module
 */
import type { ResolvedAuthority } from '@authfold/core'
import type { CacheFirstPolicy } from '@authfold/grants'

/**
 * A policy kept by a {@link PolicyMemo}, with the inputs it was built from (copies of the
 * lists, so that a caller changing its array later changes nothing here).
 *
 * @category model
 * @since 0.1.0
 */
export interface KeptPolicy {
  readonly authority: ResolvedAuthority
  readonly home: string | undefined
  readonly scopes: ReadonlyArray<string>
  readonly config: ReadonlyArray<string> | undefined
  /** The policy those inputs give (`undefined`: none can be told up front). */
  readonly policy: CacheFirstPolicy | undefined
}

/**
 * One method's memo of the last policy it built. A policy is a pure function of its
 * inputs (the resolved authority, an account's home account id, the scopes asked, and a
 * list of the client's configuration such as its capabilities), so a call with the same
 * inputs (the same authority object, equal strings, lists equal item by item) may use the
 * kept one instead of building its parameters, query and policy again.
 *
 * @category model
 * @since 0.1.0
 */
export interface PolicyMemo {
  /** The kept policy when these are its inputs; `undefined` when they are not. */
  readonly find: (authority: ResolvedAuthority, home: string | undefined, scopes: ReadonlyArray<string>, config: ReadonlyArray<string> | undefined) => KeptPolicy | undefined
  /**
   * Keeps the policy `build` makes from a copy of `scopes` (the copy is what the policy
   * holds) and returns it.
   */
  readonly keep: (
    authority: ResolvedAuthority,
    home: string | undefined,
    scopes: ReadonlyArray<string>,
    config: ReadonlyArray<string> | undefined,
    build: (scopes: ReadonlyArray<string>) => CacheFirstPolicy | undefined,
  ) => CacheFirstPolicy | undefined
}

/**
 * True when two lists hold the same items in the same order (`===`), or both are absent.
 *
 * @category utils
 * @since 0.1.0
 */
export const sameItems = (a: ReadonlyArray<unknown> | undefined, b: ReadonlyArray<unknown> | undefined): boolean => {
  if (a === b) return true
  if (a === undefined || b === undefined || a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/**
 * A {@link PolicyMemo} holding one policy: the last one kept.
 *
 * @example
 * ```ts
 * import { policyMemo } from '@authfold/client'
 * import type { ResolvedAuthority } from '@authfold/core'
 * import type { CacheFirstPolicy } from '@authfold/grants'
 *
 * declare const authority: ResolvedAuthority, build: (scopes: ReadonlyArray<string>) => CacheFirstPolicy | undefined
 * const memo = policyMemo()
 * const scopes = ['User.Read']
 * const kept = memo.find(authority, 'uid.utid', scopes, undefined)
 * const policy = kept !== undefined ? kept.policy : memo.keep(authority, 'uid.utid', scopes, undefined, build)
 * ```
 * @category constructors
 * @since 0.1.0
 */
export const policyMemo = (): PolicyMemo => {
  let last: KeptPolicy | undefined
  return {
    find: (authority, home, scopes, config) =>
      last !== undefined && last.authority === authority && last.home === home && sameItems(last.scopes, scopes) && sameItems(last.config, config) ? last : undefined,
    keep: (authority, home, scopes, config, build) => {
      const copy = scopes.slice()
      const policy = build(copy)
      last = { authority, home, scopes: copy, config: config?.slice(), policy }
      return policy
    },
  }
}
