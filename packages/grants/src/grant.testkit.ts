/**
 * Fixtures the grants' unit tests share.
 *
 * @module
 */
import type { ResolvedAuthority } from '@authfold/core'

/**
 * A resolved Entra-like authority at `https://login.example/tenant-1/`, with the given aliases.
 *
 * @category testing
 * @since 0.1.0
 */
export const testAuthority = (aliases: ReadonlyArray<string> = ['login.example']): ResolvedAuthority => ({
  authority: { kind: 'entra', url: 'https://login.example/tenant-1/', host: 'login.example', tenant: 'tenant-1', path: 'tenant-1' },
  metadata: {
    issuer: 'https://login.example/tenant-1/v2.0',
    authorization_endpoint: 'https://login.example/tenant-1/oauth2/v2.0/authorize',
    token_endpoint: 'https://login.example/tenant-1/oauth2/v2.0/token',
  },
  environment: 'login.example',
  aliases,
  realm: 'tenant-1',
})
