import { expectTypeOf, test } from 'vitest'
import type { ConfidentialClient, ConfidentialClientConfig } from '../confidentialClient.js'
import type { LeanConfidentialClient, LeanConfidentialClientConfig } from '../lean.js'

test('code written for the lean client runs on the full one: the full client is a lean client', () => {
  expectTypeOf<ConfidentialClient>().toMatchTypeOf<LeanConfidentialClient>()
})

test('a lean configuration configures the full client', () => {
  expectTypeOf<LeanConfidentialClientConfig>().toMatchTypeOf<ConfidentialClientConfig>()
})

test('the lean methods take the full methods’ first arguments and answer their results', () => {
  expectTypeOf<Parameters<LeanConfidentialClient['acquireTokenForClient']>[0]>().toEqualTypeOf<Parameters<ConfidentialClient['acquireTokenForClient']>[0]>()
  expectTypeOf<ReturnType<LeanConfidentialClient['acquireTokenForClient']>>().toEqualTypeOf<ReturnType<ConfidentialClient['acquireTokenForClient']>>()
  expectTypeOf<ReturnType<LeanConfidentialClient['serializeCache']>>().toEqualTypeOf<ReturnType<ConfidentialClient['serializeCache']>>()
})
