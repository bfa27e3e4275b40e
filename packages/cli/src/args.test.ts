import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { parseCommand } from './args.js'

const AUTHORITY = 'https://login.microsoftonline.com/contoso.onmicrosoft.com/'
const base = ['token', '--client-id', 'app', '--authority', AUTHORITY]

describe('parseCommand', () => {
  it('a secret from the named variable, MSAL’s default scope, validation on', () => {
    expect(parseCommand([...base, '--client-secret-env', 'S'], { S: 'sh' })).toEqual({
      _tag: 'token',
      clientId: 'app',
      authority: AUTHORITY,
      credential: { _tag: 'secret', secret: 'sh' },
      scopes: ['https://graph.microsoft.com/.default'],
      showToken: false,
      validateAuthority: true,
      timeoutMs: 10_000,
    })
  })

  it('a certificate (key in the same file unless --certificate-key), device code, scopes, options', () => {
    expect(parseCommand([...base, '--certificate', 'a.pem'], {})).toMatchObject({ credential: { _tag: 'certificate', certificateFile: 'a.pem', keyFile: 'a.pem' } })
    expect(parseCommand([...base, '--certificate', 'c.pem', '--certificate-key', 'k.pem', '--certificate-passphrase-env', 'P'], { P: 'pw' })).toMatchObject({
      credential: { _tag: 'certificate', certificateFile: 'c.pem', keyFile: 'k.pem', passphrase: 'pw' },
    })
    expect(
      parseCommand([...base, '--device-code', '--scope', 'User.Read', '--scope', 'Mail.Read', '--show-token', '--ca', 'ca.pem', '--proxy', 'env', '--skip-authority-validation', '--timeout-ms', '5000'], {}),
    ).toEqual({
      _tag: 'token',
      clientId: 'app',
      authority: AUTHORITY,
      credential: { _tag: 'deviceCode' },
      scopes: ['User.Read', 'Mail.Read'],
      showToken: true,
      caFile: 'ca.pem',
      proxy: 'env',
      validateAuthority: false,
      timeoutMs: 5000,
    })
    expect(parseCommand([...base, '--device-code'], {})).toMatchObject({ scopes: ['User.Read'] })
  })

  it('help, and usage errors that say what to pass', () => {
    expect(parseCommand([], {})).toEqual({ _tag: 'help' })
    expect(parseCommand(['token', '-h'], {})).toEqual({ _tag: 'help' })
    const usage = (argv: ReadonlyArray<string>, env: Record<string, string> = {}) => {
      const c = parseCommand(argv, env)
      return c._tag === 'usage' ? c.message : c._tag
    }
    expect(usage(['login'])).toBe('Unknown command "login": the command is token. Run authfold --help for the options.')
    expect(usage(['token', '--authority', AUTHORITY, '--device-code'])).toMatch(/^Pass --client-id/)
    expect(usage(['token', '--client-id', 'app', '--device-code'])).toMatch(/^Pass --authority/)
    expect(usage([...base, '--device-code', '--client-secret-env', 'S'], { S: 'x' })).toMatch(/^Pass exactly one of/)
    expect(usage([...base, '--certificate', 'a.pem', '--certificate-passphrase-env', 'NOPE'])).toMatch(/NOPE \(--certificate-passphrase-env\) is not set/)
    expect(usage([...base, '--device-code', '--timeout-ms', 'soon'])).toMatch(/^--timeout-ms takes a positive whole number/)
    expect(usage([...base, '--device-code', '--bogus'])).toMatch(/Unknown option '--bogus'/)
    expect(usage([...base, '--client-secret-env'])).toMatch(/argument missing/)
  })

  it('never throws, and a usage message never holds the secret the variable carries', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom('token', '--client-id', '--authority', '--client-secret-env', 'S', '--device-code', '--scope', '--bogus', '-h'), fc.string()), { maxLength: 10 }), (argv) => {
        const c = parseCommand(argv, { S: 'secret-value-9f3' })
        if (c._tag === 'usage') expect(c.message).not.toContain('secret-value-9f3')
      }),
    )
  })
})
