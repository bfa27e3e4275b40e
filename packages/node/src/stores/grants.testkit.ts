/**
 * The 100-concurrent-grants check the store tests run on every store (memory, file, Redis,
 * Redis Cluster): 100 `acquireTokenForClient` calls at once on one client against the local
 * identity provider, then every token is in the store, and a second round is all cache hits.
 * Test support, not part of the public API.
 *
 * @internal
 * @module
 */
import { expect } from 'vitest'
import * as E from 'fp-ts/Either'
import { clientSecret } from '@authfold/core'
import { serialize, type CacheStore } from '@authfold/cache'
import { createConfidentialClient } from '@authfold/client'
import type { IdentityProvider } from '@authfold/testing'
import { nodeHttpClient } from '../http/nodeHttpClient.js'

/**
 * Runs the 100 grants of client `clientId` (registered at `idp` with `secret`) with
 * `cacheStore` and checks what the store holds afterwards.
 *
 * @internal
 * @category testing
 * @since 0.1.0
 */
export const hundredGrants = async (idp: IdentityProvider, clientId: string, secret: string, cacheStore: CacheStore): Promise<void> => {
  const hundredScopes = Array.from({ length: 100 }, (_, i) => `api://r${i}/.default`)
  const app = createConfidentialClient({
    clientId,
    authority: idp.authority(),
    credential: clientSecret(secret),
    http: nodeHttpClient({ ca: idp.ca, timeoutMs: 20_000 }),
    validateAuthority: false,
    cacheStore,
  })
  const results = await Promise.all(hundredScopes.map((scope) => app.acquireTokenForClient([scope])))
  expect(new Set(results.map((r) => r.access_token)).size).toBe(100)
  const state = await cacheStore.load()()
  if (E.isLeft(state)) throw new Error(state.left.message)
  const stored = (JSON.parse(serialize(state.right)) as { readonly AccessToken: Readonly<Record<string, { readonly target: string; readonly secret: string }>> }).AccessToken
  const byTarget = new Map(Object.values(stored).map((at) => [at.target, at.secret] as const))
  expect(byTarget.size).toBe(100)
  hundredScopes.forEach((scope, i) => expect(byTarget.get(scope)).toBe(results[i]?.access_token))
  const again = await Promise.all(hundredScopes.map((scope) => app.acquireTokenForClient([scope])))
  expect(again.every((r) => r.token_source === 'cache')).toBe(true)
  expect(again.map((r) => r.access_token)).toEqual(results.map((r) => r.access_token))
}
