import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { formEncode } from '@authfold/core'
import { userFicRequest } from './request.js'
import { userFicSubject } from './userFic.js'

const scopes = ['User.Read', 'openid', 'profile', 'offline_access']

describe('userFicRequest', () => {
  it('has the fields MSAL sends for username (grant_type=user_fic, the credential, username, decorated scope, client_info=1)', () => {
    expect(formEncode(userFicRequest({ assertion: 'a.b.c', subject: { username: 'agent@contoso.com' }, scopes }))).toBe(
      'grant_type=user_fic&user_federated_identity_credential=a.b.c&username=agent%40contoso.com&scope=User.Read+openid+profile+offline_access&client_info=1',
    )
  })

  it('sends user_id, and no username, for an object id; claims when given', () => {
    const fields = userFicRequest({ assertion: 'a.b.c', subject: { userObjectId: '11111111-2222-3333-4444-555555555555' }, scopes, claims: '{"access_token":{}}' })
    expect(formEncode(fields)).toBe(
      'grant_type=user_fic&user_federated_identity_credential=a.b.c&user_id=11111111-2222-3333-4444-555555555555&scope=User.Read+openid+profile+offline_access&client_info=1&claims=%7B%22access_token%22%3A%7B%7D%7D',
    )
  })
})

describe('userFicSubject', () => {
  it('refuses neither and both', () => {
    expect(userFicSubject({})).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', code: 'invalid_argument', field: 'username' } })
    expect(userFicSubject({ username: 'u@x', userObjectId: 'oid' })).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', field: 'username' } })
  })

  it('accepts exactly one non-blank identifier and names the user by it (property)', () => {
    const id = fc.string({ minLength: 1 }).filter((s) => s.trim() !== '')
    const maybe = fc.option(fc.string(), { nil: undefined })
    fc.assert(
      fc.property(maybe, maybe, (username, userObjectId) => {
        const out = userFicSubject({ ...(username === undefined ? {} : { username }), ...(userObjectId === undefined ? {} : { userObjectId }) })
        const one = (username !== undefined) !== (userObjectId !== undefined)
        const value = username ?? userObjectId ?? ''
        expect(E.isRight(out)).toBe(one && value.trim() !== '')
        if (E.isRight(out)) expect(out.right.username ?? out.right.userObjectId).toBe(value)
      }),
    )
    fc.assert(fc.property(id, (u) => E.isRight(userFicSubject({ username: u })) && E.isRight(userFicSubject({ userObjectId: u }))))
  })
})
