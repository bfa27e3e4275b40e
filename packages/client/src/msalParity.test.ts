/**
 * Every public method of MSAL Python's applications is on the facade of the same kind, under
 * its camelCase name: read from the MSAL Python that `.ci/run` installs (Debian's
 * python3-msal, 1.21), plus the methods MSAL Python added after it.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { clientSecret } from '@authfold/core'
import { createConfidentialClient } from './confidentialClient.js'
import { createPublicClient } from './publicClient.js'

const MSAL_APPLICATION = '/usr/lib/python3/dist-packages/msal/application.py'

/** `class -> public method names` of MSAL Python's application.py. */
const publicMethods = (source: string): ReadonlyMap<string, ReadonlyArray<string>> => {
  const out = new Map<string, Array<string>>()
  let current: string | undefined
  for (const line of source.split('\n')) {
    const cls = /^class (\w+)/.exec(line)
    if (cls?.[1] !== undefined) {
      current = cls[1]
      out.set(current, [])
      continue
    }
    const def = /^ {4}def ([a-z]\w*)\(/.exec(line)
    if (def?.[1] !== undefined && current !== undefined) out.get(current)?.push(def[1])
  }
  return out
}

const camel = (name: string): string => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())

// Added to MSAL Python after 1.21: ClientApplication.is_pop_supported (1.26),
// ConfidentialClientApplication.remove_tokens_for_client (1.23) and
// acquire_token_by_user_federated_identity_credential (1.37).
const LATER = {
  ClientApplication: ['is_pop_supported'],
  PublicClientApplication: [],
  ConfidentialClientApplication: ['remove_tokens_for_client', 'acquire_token_by_user_federated_identity_credential'],
}

describe('the facades have every method of MSAL Python', () => {
  const methods = publicMethods(readFileSync(MSAL_APPLICATION, 'utf8'))
  const of = (cls: keyof typeof LATER): ReadonlyArray<string> => [...(methods.get(cls) ?? []), ...LATER[cls]].map(camel)
  const app = createConfidentialClient({ clientId: 'parity', credential: clientSecret('parity-secret') })
  const pub = createPublicClient({ clientId: 'parity' })

  it('reads MSAL Python 1.21\u2019s classes (the parse is not empty)', () => {
    expect(of('ClientApplication')).toContain('acquireTokenSilent')
    expect(of('PublicClientApplication')).toContain('acquireTokenInteractive')
    expect(of('ConfidentialClientApplication')).toContain('acquireTokenOnBehalfOf')
  })

  it('a confidential client has ClientApplication\u2019s and ConfidentialClientApplication\u2019s, as Promise and TaskEither', () => {
    for (const name of [...of('ClientApplication'), ...of('ConfidentialClientApplication')]) {
      expect(typeof (app as unknown as Record<string, unknown>)[name], name).toBe('function')
      expect(typeof (app.te as unknown as Record<string, unknown>)[name], `te.${name}`).toBe('function')
    }
  })

  it('a public client has ClientApplication\u2019s and PublicClientApplication\u2019s, as Promise and TaskEither', () => {
    for (const name of [...of('ClientApplication'), ...of('PublicClientApplication')]) {
      expect(typeof (pub as unknown as Record<string, unknown>)[name], name).toBe('function')
      expect(typeof (pub.te as unknown as Record<string, unknown>)[name], `te.${name}`).toBe('function')
    }
  })

  it('isPopSupported answers false, as MSAL Python without a broker', async () => {
    expect(await app.isPopSupported()).toBe(false)
    expect(await pub.isPopSupported()).toBe(false)
  })
})
