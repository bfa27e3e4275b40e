/**
 * What the Promise methods of both facades reject with, against the local IdP over real
 * HTTPS: an `AuthFailureError` (instanceof and `isAuthFailure`), `name` = the tag, the
 * typed `AuthError` under `authError`, narrowed by a `switch` on `_tag`.
 */
import { createServer, type AddressInfo } from 'node:net'
import { inspect } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { clientSecret, configError, httpError, type AuthError } from '@authfold/core'
import { nodeHttpClient } from '@authfold/node'
import { startIdentityProvider, type IdentityProvider } from '@authfold/testing'
import { createConfidentialClient } from './confidentialClient.js'
import { createPublicClient } from './publicClient.js'
import { AuthFailureError, isAuthFailure, toFailure } from './failure.js'

const SECRET = 'failure-secret-Qw7!'
const PASSWORD = 'failure-password-Zt4!'
let idp: IdentityProvider

beforeAll(async () => {
  idp = await startIdentityProvider()
  idp.registerClient({ clientId: 'failure-app', secret: SECRET })
  idp.registerClient({ clientId: 'failure-public' })
  idp.registerUser({ username: 'ada@authfold.test', password: PASSWORD })
})
afterAll(async () => idp.stop())

const rejection = async (p: Promise<unknown>): Promise<unknown> => {
  try {
    await p
  } catch (e: unknown) {
    return e
  }
  throw new Error('expected a rejection')
}

/** A port nothing listens on: one the OS gave a server that is closed again. */
const closedPort = async (): Promise<number> => {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** What an app does with a rejection: a switch that narrows `authError`. */
const advice = (e: unknown): string => {
  if (!(e instanceof AuthFailureError)) return 'not ours'
  const a = e.authError
  switch (a._tag) {
    case 'HttpError':
      return `http ${a.code}`
    case 'ProtocolError':
      return `protocol ${a.error}`
    case 'ConfigError':
      return `config ${a.field}`
    case 'DecodeError':
    case 'ValidationError':
    case 'CacheError':
      return a._tag
  }
}

describe('Promise methods reject with an AuthFailureError', () => {
  it('confidential client: a refused secret is a ProtocolError, instanceof both ways, no secret in it', async () => {
    const app = createConfidentialClient({
      clientId: 'failure-app',
      authority: idp.authority(),
      credential: clientSecret('not-the-secret'),
      http: nodeHttpClient({ ca: idp.ca, timeoutMs: 5000 }),
      validateAuthority: false,
    })
    const e = await rejection(app.acquireTokenForClient(['api://failure/.default']))
    expect(e).toBeInstanceOf(AuthFailureError)
    expect(e).toBeInstanceOf(Error)
    expect(isAuthFailure(e)).toBe(true)
    expect(advice(e)).toBe('protocol invalid_client')
    expect((e as AuthFailureError).name).toBe('ProtocolError')
    expect(inspect(e, { depth: 10, showHidden: true })).not.toContain('not-the-secret')
  })

  it('public client: a wrong password is a ProtocolError invalid_grant; the password is not in it', async () => {
    const app = createPublicClient({
      clientId: 'failure-public',
      authority: idp.authority(),
      http: nodeHttpClient({ ca: idp.ca, timeoutMs: 5000 }),
      validateAuthority: false,
    })
    const wrong = 'wrong-password-Hh3!'
    const e = await rejection(app.acquireTokenByUsernamePassword('ada@authfold.test', wrong, ['User.Read']))
    expect(e).toBeInstanceOf(AuthFailureError)
    expect(advice(e)).toBe('protocol invalid_grant')
    expect(inspect(e, { depth: 10, showHidden: true })).not.toContain(wrong)
  })

  it('an unreachable authority is an HttpError network; a method without the network rejects the same way', async () => {
    const app = createPublicClient({
      clientId: 'failure-public',
      authority: `https://127.0.0.1:${await closedPort()}/common/`,
      http: nodeHttpClient({ timeoutMs: 2000 }),
      validateAuthority: false,
      retry: false,
    })
    const e = await rejection(app.initiateDeviceFlow(['User.Read']))
    expect(e).toBeInstanceOf(AuthFailureError)
    expect(advice(e)).toBe('http network')
    const bad = await rejection(app.deserializeCache('{not json'))
    expect(bad).toBeInstanceOf(AuthFailureError)
    expect((bad as AuthFailureError).name).toBe((bad as AuthFailureError).authError._tag)
  })

  it('a constructor throws one for a bad configuration (ConfigError)', () => {
    let thrown: unknown
    try {
      createPublicClient({ clientId: '', authority: idp.authority(), validateAuthority: false })
    } catch (e: unknown) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(AuthFailureError)
    expect(advice(thrown)).toMatch(/^config /)
  })
})

describe('AuthFailureError and isAuthFailure', () => {
  it('instanceof answers by shape: a failure made by another copy of the package is one too', () => {
    const e = configError('invalid_argument', 'Pass a client id.', 'clientId')
    const fromAnotherCopy = Object.assign(new Error(e.message), { name: e._tag, authError: e })
    expect(fromAnotherCopy).toBeInstanceOf(AuthFailureError)
    expect(isAuthFailure(fromAnotherCopy)).toBe(true)
  })

  it('anything else is not one', () => {
    const e = httpError('network', 'https://login.example/x', 'Check the network.')
    for (const other of [
      new Error('plain'),
      e,
      Object.assign(new Error(e.message), { authError: e }), // name is not the tag
      Object.assign(new Error(e.message), { name: 'HttpError', authError: { _tag: 'Nope' } }),
      { name: 'HttpError', message: e.message, authError: e }, // not an Error
      undefined,
      'HttpError',
    ]) {
      expect(other instanceof AuthFailureError).toBe(false)
      expect(isAuthFailure(other)).toBe(false)
    }
  })

  it('toFailure keeps the error whole: name is the tag, message its advice, authError itself', () => {
    const tags = ['HttpError', 'ProtocolError', 'DecodeError', 'ValidationError', 'ConfigError', 'CacheError'] as const
    fc.assert(
      fc.property(fc.constantFrom(...tags), fc.string(), (tag, message) => {
        const e = { _tag: tag, message } as unknown as AuthError
        const failure = toFailure(e)
        return failure instanceof Error && failure instanceof AuthFailureError && isAuthFailure(failure) && failure.name === tag && failure.message === message && failure.authError === e
      }),
    )
  })
})
