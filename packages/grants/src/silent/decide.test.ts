/**
 * decideSilent against a plain model of MSAL Python 1.21's rules, transcribed from
 * application.py (`_acquire_token_silent_from_cache_and_possibly_refresh_it`,
 * `_acquire_token_silent_by_finding_rt_belongs_to_me_or_my_family`,
 * `_acquire_token_silent_by_finding_specific_refresh_token`) as linear scans over lists.
 */
import * as E from 'fp-ts/Either'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { deserialize, emptyCache, type CacheState } from '@authfold/cache'
import { decideSilent, type SilentDecision, type SilentRequest } from './decide.js'

const GROUP = ['login.microsoftonline.com', 'login.windows.net']
const ENVS = [...GROUP, 'login.chinacloudapi.cn']
const CLIENTS = ['app', 'sibling', 'stranger']
const HOMES = ['u1.t1', 'u2.t1']
const REALMS = ['t1', 't2']
const SCOPES = ['a', 'b']
const NOW = 1_800_000_000

interface At { client: string; env: string; realm: string; home: string | null; scope: string; expiresOn: number; refreshOn?: number; secret: string }
interface Rt { client: string; env: string; home: string; family?: string; lmt: number; secret: string }
interface Am { client: string; env: string; family?: string }
interface World { ats: At[]; rts: Rt[]; ams: Am[]; now: number; request: SilentRequest }

const atArb = fc.record({
  client: fc.constantFrom(...CLIENTS),
  env: fc.constantFrom(...ENVS),
  realm: fc.constantFrom(...REALMS),
  home: fc.constantFrom<string | null>(null, ...HOMES),
  scope: fc.constantFrom(...SCOPES),
  expiresIn: fc.integer({ min: -400, max: 900 }),
  refreshIn: fc.option(fc.integer({ min: -200, max: 400 }), { nil: undefined }),
})
const rtArb = fc.record({
  client: fc.constantFrom(...CLIENTS),
  env: fc.constantFrom(...ENVS),
  home: fc.constantFrom(...HOMES),
  family: fc.constantFrom<string | undefined>(undefined, '1', '2'),
})
const amArb = fc.record({ client: fc.constantFrom(...CLIENTS), env: fc.constantFrom(...ENVS), family: fc.constantFrom<string | undefined>(undefined, '', '1', '2') })

const worldArb: fc.Arbitrary<World> = fc
  .record({
    // one access token per client, realm, account and scope, as MSAL's fold leaves it
    ats: fc.uniqueArray(atArb, { maxLength: 8, selector: (a) => `${a.client}|${a.realm}|${a.home}|${a.scope}` }),
    rts: fc.array(rtArb, { maxLength: 6 }),
    ams: fc.uniqueArray(amArb, { maxLength: 3, selector: (a) => a.client }),
    fraction: fc.double({ min: 0, max: 0.999, noNaN: true }),
    client: fc.constantFrom(...CLIENTS),
    realm: fc.constantFrom(...REALMS),
    home: fc.constantFrom<string | undefined>(undefined, ...HOMES),
    scope: fc.constantFrom(...SCOPES),
    skipCache: fc.boolean(),
  })
  .map((w) => ({
    ats: w.ats.map((a, i) => ({
      client: a.client,
      env: a.env,
      realm: a.realm,
      home: a.home,
      scope: a.scope,
      expiresOn: NOW + 300 + a.expiresIn,
      ...(a.refreshIn === undefined ? {} : { refreshOn: NOW + a.refreshIn }),
      secret: `at-${i}`,
    })),
    rts: w.rts.map((r, i) => ({ client: r.client, env: r.env, home: r.home, ...(r.family === undefined ? {} : { family: r.family }), lmt: NOW - 1000 + i * 7, secret: `rt-${i}` })),
    ams: w.ams.map((a) => ({ client: a.client, env: a.env, ...(a.family === undefined ? {} : { family: a.family }) })),
    now: NOW + w.fraction,
    request: { clientId: w.client, environments: GROUP, realm: w.realm, homeAccountId: w.home, scopes: [w.scope], skipCache: w.skipCache },
  }))

const cacheOf = (w: World): CacheState => {
  const json = {
    AccessToken: Object.fromEntries(
      w.ats.map((a) => [
        `k-${a.secret}`,
        {
          credential_type: 'AccessToken',
          secret: a.secret,
          home_account_id: a.home,
          environment: a.env,
          client_id: a.client,
          target: a.scope,
          realm: a.realm,
          token_type: 'Bearer',
          cached_at: String(NOW - 3000),
          expires_on: String(a.expiresOn),
          extended_expires_on: String(a.expiresOn),
          ...(a.refreshOn === undefined ? {} : { refresh_on: String(a.refreshOn) }),
        },
      ]),
    ),
    RefreshToken: Object.fromEntries(
      w.rts.map((r) => [
        `k-${r.secret}`,
        {
          credential_type: 'RefreshToken',
          secret: r.secret,
          home_account_id: r.home,
          environment: r.env,
          client_id: r.client,
          target: '',
          last_modification_time: String(r.lmt),
          ...(r.family === undefined ? {} : { family_id: r.family }),
        },
      ]),
    ),
    AppMetadata: Object.fromEntries(w.ams.map((a) => [`appmetadata-${a.env}-${a.client}`, { client_id: a.client, environment: a.env, ...(a.family === undefined ? {} : { family_id: a.family }) }])),
  }
  return E.getOrElse(() => emptyCache)(deserialize(JSON.stringify(json)))
}

/** What the model says, in comparable terms (secrets instead of entries). */
type Plain =
  | { readonly tag: 'hit'; readonly secret: string; readonly aging: boolean }
  | { readonly tag: 'refresh'; readonly reason: number; readonly probe?: string[]; readonly family?: string[]; readonly own: string[]; readonly fallback?: string }
  | { readonly tag: 'miss'; readonly reason: number }

/** MSAL Python 1.21's rules, as plain scans. */
const model = (w: World): Plain => {
  const r = w.request
  const inGroup = (env: string): boolean => r.environments.includes(env)
  let reason = 1 // FORCE_REFRESH
  let fallback: At | undefined
  if (!r.skipCache) {
    reason = 2 // AT_ABSENT
    const matches = w.ats.filter(
      (a) => a.client === r.clientId && inGroup(a.env) && a.realm === r.realm && a.home === (r.homeAccountId ?? null) && r.scopes.every((s) => s === a.scope),
    )
    for (const a of matches) {
      if (a.expiresOn - w.now < 5 * 60) {
        reason = 3 // AT_EXPIRED
        continue
      }
      fallback = a
      if (a.refreshOn !== undefined && a.refreshOn < w.now) {
        reason = 4 // AT_AGING
        break
      }
      return { tag: 'hit', secret: a.secret, aging: false }
    }
  }
  const newestFirst = (rts: Rt[]): string[] => [...rts].sort((x, y) => y.lmt - x.lmt).map((x) => x.secret)
  const home = r.homeAccountId
  const mine = home === undefined ? [] : w.rts.filter((t) => t.home === home && inGroup(t.env))
  const am = w.ams.find((a) => a.client === r.clientId && inGroup(a.env))
  const probe = home !== undefined && am === undefined ? newestFirst(mine.filter((t) => t.family === '1')) : undefined
  const familyId = am?.family
  const family = home !== undefined && familyId !== undefined && familyId !== '' ? newestFirst(mine.filter((t) => t.family === familyId)) : undefined
  const own = newestFirst(mine.filter((t) => t.client === r.clientId))
  if ((probe?.length ?? 0) + (family?.length ?? 0) + own.length > 0)
    return {
      tag: 'refresh',
      reason,
      ...(probe === undefined ? {} : { probe }),
      ...(family === undefined ? {} : { family }),
      own,
      ...(fallback === undefined ? {} : { fallback: fallback.secret }),
    }
  return fallback === undefined ? { tag: 'miss', reason } : { tag: 'hit', secret: fallback.secret, aging: true }
}

const plain = (d: SilentDecision): Plain => {
  if (d._tag === 'hit') return { tag: 'hit', secret: d.result.access_token, aging: d.aging }
  if (d._tag === 'miss') return { tag: 'miss', reason: d.reason }
  const secrets = (ts: ReadonlyArray<{ readonly secret: string }>): string[] => ts.map((t) => t.secret)
  return {
    tag: 'refresh',
    reason: d.reason,
    ...(d.plan.probe === undefined ? {} : { probe: secrets(d.plan.probe) }),
    ...(d.plan.family === undefined ? {} : { family: secrets(d.plan.family.tokens) }),
    own: secrets(d.plan.own),
    ...(d.fallback === undefined ? {} : { fallback: d.fallback.access_token }),
  }
}

describe('decideSilent', () => {
  it('equals the plain model of MSAL Python 1.21\u2019s rules for any cache, clock and request', () => {
    const seen = new Set<string>()
    fc.assert(
      fc.property(worldArb, (w) => {
        const expected = model(w)
        seen.add(expected.tag === 'hit' ? `hit-${expected.aging}` : expected.tag === 'refresh' ? `refresh-${expected.reason}` : `miss-${expected.reason}`)
        expect(plain(decideSilent(w.request, w.now)(cacheOf(w)))).toEqual(expected)
      }),
      { numRuns: 1500, seed: 20261129 },
    )
    // the pinned seed explores every outcome: hits, aging hits, each refresh reason, misses
    expect([...seen].sort()).toEqual(expect.arrayContaining(['hit-false', 'hit-true', 'miss-2', 'refresh-1', 'refresh-2', 'refresh-3', 'refresh-4']))
  })

  it('answers a token with 300 s left from the cache and treats 299.5 s as expired (reason 3)', () => {
    const base: World = {
      ats: [{ client: 'app', env: GROUP[0] ?? '', realm: 't1', home: 'u1.t1', scope: 'a', expiresOn: NOW + 300, secret: 'at-0' }],
      rts: [{ client: 'app', env: GROUP[1] ?? '', home: 'u1.t1', lmt: NOW, secret: 'rt-0' }],
      ams: [{ client: 'app', env: GROUP[0] ?? '' }],
      now: NOW,
      request: { clientId: 'app', environments: GROUP, realm: 't1', homeAccountId: 'u1.t1', scopes: ['a'], skipCache: false },
    }
    expect(plain(decideSilent(base.request, NOW)(cacheOf(base)))).toEqual({ tag: 'hit', secret: 'at-0', aging: false })
    expect(plain(decideSilent(base.request, NOW + 0.5)(cacheOf(base)))).toEqual({ tag: 'refresh', reason: 3, own: ['rt-0'] })
  })
})
