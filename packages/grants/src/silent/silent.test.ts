/**
 * The refresh-token stages of the silent flow with scripted redemptions: which tokens are
 * tried, in which order, and which answer wins (MSAL Python 1.21's
 * `_acquire_token_silent_by_finding_rt_belongs_to_me_or_my_family`).
 */
import * as TE from 'fp-ts/TaskEither'
import { describe, expect, it } from 'vitest'
import { emptyCache, type RefreshTokenEntity } from '@authfold/cache'
import { httpError, type AuthError, type ProtocolError } from '@authfold/core'
import { runRefreshPlan } from './silent.js'

const rt = (secret: string): RefreshTokenEntity => ({ credential_type: 'RefreshToken', secret, home_account_id: 'u.t', environment: 'e', client_id: 'c' })
const refused = (error: string, info: ReadonlyArray<string> = []): ProtocolError => ({
  _tag: 'ProtocolError',
  code: 'oauth_error',
  message: error,
  status: 400,
  error,
  response: { error, error_additional_info: info },
})

/** A redeem that answers from a script by secret, recording the order. */
const scripted = (answers: Readonly<Record<string, AuthError | 'ok'>>) => {
  const tried: string[] = []
  const redeem = (entry: RefreshTokenEntity) => {
    tried.push(entry.secret)
    const a = answers[entry.secret]
    return a === 'ok' || a === undefined ? TE.right([{ access_token: `at-${entry.secret}`, token_type: 'Bearer', expires_in: 3600, token_source: 'identity_provider' as const }, emptyCache] as const) : TE.left(a)
  }
  return { tried, redeem }
}

describe('runRefreshPlan', () => {
  it('the family probe stops at client_mismatch, forgets its refusals, and the own token answers', async () => {
    const s = scripted({ p1: refused('invalid_grant', ['client_mismatch']), p2: 'ok', own: 'ok' })
    const out = await runRefreshPlan({ probe: [rt('p1'), rt('p2')], own: [rt('own')] }, s.redeem)()
    expect(s.tried).toEqual(['p1', 'own'])
    expect(out._tag === 'Right' && out.right._tag === 'redeemed' ? out.right.value[0].access_token : undefined).toBe('at-own')
  })

  it('a probe refusal without own tokens is a miss (MSAL returns None), not the error', async () => {
    const s = scripted({ p1: refused('invalid_grant', ['client_mismatch']) })
    expect(await runRefreshPlan({ probe: [rt('p1')], own: [] }, s.redeem)()).toEqual({ _tag: 'Right', right: { _tag: 'none' } })
  })

  it('family refusals move on to the next token, then the own; with no own token the family\u2019s last refusal is the answer', async () => {
    const s = scripted({ f1: refused('invalid_grant'), f2: refused('interaction_required') })
    const out = await runRefreshPlan({ family: { familyId: '1', tokens: [rt('f1'), rt('f2')] }, own: [] }, s.redeem)()
    expect(s.tried).toEqual(['f1', 'f2'])
    expect(out).toMatchObject({ _tag: 'Right', right: { _tag: 'refused', error: { error: 'interaction_required' } } })
    const s2 = scripted({ f1: refused('invalid_grant'), o1: refused('invalid_client') })
    expect(await runRefreshPlan({ family: { familyId: '1', tokens: [rt('f1')] }, own: [rt('o1')] }, s2.redeem)()).toMatchObject({
      right: { _tag: 'refused', error: { error: 'invalid_client' } },
    })
  })

  it('a transport failure ends the attempt at once', async () => {
    const s = scripted({ o1: httpError('network', 'https://idp/token', 'down'), o2: 'ok' })
    const out = await runRefreshPlan({ own: [rt('o1'), rt('o2')] }, s.redeem)()
    expect(s.tried).toEqual(['o1'])
    expect(out).toMatchObject({ _tag: 'Left', left: { _tag: 'HttpError' } })
  })
})
