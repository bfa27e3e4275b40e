import { describe, expect, it } from 'vitest'
import { expiresOnSeconds } from './answer.js'
import { arcKeyPath, checkArcKeySize } from './arc.js'

describe('expiresOnSeconds', () => {
  it('reads numbers, numbers in strings and the App Service / Azure ML date', () => {
    expect(expiresOnSeconds(1586984735)).toBe(1586984735)
    expect(expiresOnSeconds('1586984735')).toBe(1586984735)
    // azure-identity's own test value: "09/14/2017 00:00:00 PM +00:00" is noon UTC.
    expect(expiresOnSeconds('09/14/2017 00:00:00 PM +00:00')).toBe(1505390400)
    expect(expiresOnSeconds('2017-09-14T12:00:00Z')).toBe(1505390400)
    for (const bad of ['soon', '', null, {}, -1, '13/40/2017 00:00:00 PM +00:00', Number.NaN]) expect(expiresOnSeconds(bad)).toBeUndefined()
  })
})

describe('arcKeyPath', () => {
  const challenge = (v: string) => ({ status: 401, body: '', headers: { 'WWW-Authenticate': v } })
  it('accepts a .key file directly in the folder', () => {
    expect(arcKeyPath(challenge('Basic realm=/var/opt/azcmagent/tokens/abc.key'), '/var/opt/azcmagent/tokens')).toEqual({ _tag: 'Right', right: '/var/opt/azcmagent/tokens/abc.key' })
    expect(arcKeyPath(challenge('Basic realm=C:\\ProgramData\\AzureConnectedMachineAgent\\Tokens\\a.key'), 'C:\\ProgramData\\AzureConnectedMachineAgent\\Tokens')._tag).toBe('Right')
  })
  it('refuses anything outside the folder, not .key, or not a Basic realm challenge', () => {
    for (const v of [
      'Basic realm=/etc/shadow.key',
      'Basic realm=/var/opt/azcmagent/tokens/../../../etc/x.key',
      'Basic realm=/var/opt/azcmagent/tokens/sub/a.key',
      'Basic realm=/var/opt/azcmagent/tokens/a.txt',
      'Bearer realm=/var/opt/azcmagent/tokens/a.key',
      'Basic realm=a.key',
      '',
    ])
      expect(arcKeyPath(challenge(v), '/var/opt/azcmagent/tokens')._tag).toBe('Left')
    expect(arcKeyPath(challenge('Basic realm=/k/a.key'), undefined)).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError' } })
  })
  it('refuses a key file over 4096 bytes', () => {
    expect(checkArcKeySize(4096)._tag).toBe('Right')
    expect(checkArcKeySize(4097)._tag).toBe('Left')
  })
})
