import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import { createHash } from 'node:crypto'
import { computeExtCacheKey, computeExtCacheKeyAsync, sha256 } from './extCacheKey.js'
import { accessTokenKey } from './keys.js'

describe('sha256', () => {
  it('agrees with node:crypto on arbitrary bytes (incl. block-boundary lengths)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(Buffer.from(sha256(bytes)).toString('hex')).toBe(createHash('sha256').update(bytes).digest('hex'))
      }),
      { numRuns: 200 },
    )
    for (const n of [55, 56, 63, 64, 65, 119, 120]) {
      const b = new Uint8Array(n).fill(97)
      expect(Buffer.from(sha256(b)).toString('hex')).toBe(createHash('sha256').update(b).digest('hex'))
    }
  })
})

describe('computeExtCacheKey (MSAL Python TestComputeExtCacheKey / cross-SDK vectors)', () => {
  it('matches the MSAL Go / .NET / Python hashes', () => {
    expect(computeExtCacheKey({ key1: 'value1', key2: 'value2' })).toBe('latlwkpewb_a0rcsmjvkecqt0_huumkw4sflzociike')
    expect(computeExtCacheKey({ key3: 'value3', key4: 'value4' })).toBe('jjoe9jgfmdtnj0rzuetsqy7kzs2m1xfnjjxwsfxsrxq')
    expect(computeExtCacheKey({ key3: 'value3', key4: 'value4', key5: 'value5', key6: 'value6', key7: 'value7' })).toBe(
      'prrdp31y37ufw3lo7hly0oimjjvg_34m9ji30ocu4tw',
    )
  })
  it('length-prefixes every part, so boundaries cannot be forged (MSAL Python #946 vectors, computed with its netstring rule)', () => {
    expect(computeExtCacheKey({ fmi_path: 'value' })).toBe('n_lucewkadzv_nybtg-2wtorgf2nrns6ihlfa7vbuzg')
    expect(computeExtCacheKey({ fmi_pat: 'hvalue' })).toBe('tjtm16m-suk2_bkniblr25lyuki40qyceco7knuyu0k')
    expect(computeExtCacheKey({ a: 'b', cd: 'e' })).toBe('cybgactkrvlzlen1aiwzwl3ay5krkyixommrobc-ri4')
    expect(computeExtCacheKey({ ab: 'c', d: 'e' })).toBe('xkikspvukoccjtrgeelj3xokgbldolathcckxz94pgi')
    // UTF-8 byte lengths, not UTF-16 code units: 'p/é' is 4 bytes.
    expect(computeExtCacheKey({ x: 'y', fmi_path: 'p/é' })).toBe('oibxiy1hu-dipcjwm-zfkfkggayzhy10ydiomenemzq')
  })
  it('computeExtCacheKeyAsync (WebCrypto) gives the same keys', async () => {
    expect(await computeExtCacheKeyAsync({ key1: 'value1', key2: 'value2' })).toBe('latlwkpewb_a0rcsmjvkecqt0_huumkw4sflzociike')
    expect(await computeExtCacheKeyAsync({ key3: 'value3', key4: 'value4' })).toBe('jjoe9jgfmdtnj0rzuetsqy7kzs2m1xfnjjxwsfxsrxq')
    for (const d of [undefined, {}, { fmi_path: '' }, { claims: 'x' }, { fmi_path: 'SomePath/Credential' }, { x: 'y', fmi_path: 'p/é' }]) {
      expect(await computeExtCacheKeyAsync(d)).toBe(computeExtCacheKey(d))
    }
  })
  it('is empty for nothing, excluded fields, and empty values', () => {
    expect(computeExtCacheKey(undefined)).toBe('')
    expect(computeExtCacheKey({})).toBe('')
    expect(computeExtCacheKey({ key_id: 'k1', token_type: 'ssh-cert', req_cnf: 'nonce', claims: '{}' })).toBe('')
    expect(computeExtCacheKey({ client_id: 'x', scope: 'a', claims: 'x' })).toBe('')
    expect(computeExtCacheKey({ fmi_path: '' })).toBe('')
  })
  it('is order-independent, ignores excluded fields, separates different values', () => {
    const a = computeExtCacheKey({ fmi_path: 'path/a' })
    expect(a).not.toBe('')
    expect(computeExtCacheKey({ fmi_path: 'path/a', key_id: 'k1', req_cnf: 'n' })).toBe(a)
    expect(computeExtCacheKey({ fmi_path: 'path/b' })).not.toBe(a)
    expect(computeExtCacheKey({ fmi_path: 'path/a', custom_param: 'val' })).not.toBe(a)
    expect(computeExtCacheKey({ x: 'y', fmi_path: 'p' })).toBe(computeExtCacheKey({ fmi_path: 'p', x: 'y' }))
  })
  it('AT keys use atext and append the hash, as MSAL Go/.NET/Python', () => {
    expect(
      accessTokenKey({
        home_account_id: '',
        environment: 'login.windows.net',
        client_id: 'd3adb33f-c0de-ed0c-c0de-deadb33fc0d3',
        realm: 'common',
        target: 'r1/scope1 r1/scope2',
        ext_cache_key: computeExtCacheKey({ key1: 'value1', key2: 'value2' }),
      }),
    ).toBe('-login.windows.net-atext-d3adb33f-c0de-ed0c-c0de-deadb33fc0d3-common-r1/scope1 r1/scope2-latlwkpewb_a0rcsmjvkecqt0_huumkw4sflzociike')
    expect(accessTokenKey({ home_account_id: 'hid', environment: 'env', client_id: 'cid', realm: 'realm', target: 'scope' })).toBe(
      'hid-env-accesstoken-cid-realm-scope',
    )
  })
})
