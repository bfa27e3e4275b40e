/**
 * The fault suite's checks catch what they are for: a secret or a token in a message, a
 * log line or the inspected error, an unhandled rejection, a changed cache, an untyped
 * error. (Each check is fed a case that breaks it.)
 */
import { describe, expect, it } from 'vitest'
import { httpError } from '@authfold/core'
import { toFailure } from '../failure.js'
import { SECRET, expectNothingLeaked, expectSuccess, expectTypedFailure } from './harness.testkit.js'

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'
const world = { secrets: new Set([SECRET, 'an-assertion-value-123']), rejections: [] as ReadonlyArray<unknown> }
const failure = toFailure(httpError('network', 'https://idp.example/t/oauth2/v2.0/token', 'The connection was reset (ECONNRESET). Retry later.'))
const clean = { failure, lines: ['info Acquiring a token'], before: '{}', after: '{}' }

describe('the fault suite checks', () => {
  it('pass a clean typed failure', () => {
    expect(() => expectTypedFailure(world, clean, { _tag: 'HttpError', code: 'network' })).not.toThrow()
  })

  it('catch a secret or an assertion in a log line', () => {
    expect(() => expectNothingLeaked(world, { ...clean, lines: [`verbose client_secret=${SECRET}`] })).toThrow()
    expect(() => expectNothingLeaked(world, { ...clean, lines: ['verbose an-assertion-value-123'] })).toThrow()
  })

  it('catch a token in the message, in a field only JSON.stringify shows, and in a field only util.inspect shows', () => {
    const inMessage = toFailure(httpError('network', 'https://idp.example/', `Bad token ${JWT}. Retry.`))
    expect(() => expectNothingLeaked(world, { ...clean, failure: inMessage })).toThrow()
    const inField = toFailure(httpError('network', `https://idp.example/${SECRET}`, 'Reset. Retry.'))
    expect(() => expectNothingLeaked(world, { ...clean, failure: inField })).toThrow()
    const hidden = toFailure(httpError('network', 'https://idp.example/', 'Reset. Retry.'))
    Object.defineProperty(hidden, 'cause', { value: { token: JWT }, enumerable: false })
    expect(() => expectNothingLeaked(world, { ...clean, failure: hidden })).toThrow()
  })

  it('catch an unhandled rejection', () => {
    expect(() => expectNothingLeaked({ ...world, rejections: [new Error('late')] }, clean)).toThrow()
  })

  it('catch a cache that changed, a failure of another kind, a call that succeeded', () => {
    expect(() => expectTypedFailure(world, { ...clean, after: '{"AccessToken":{}}' }, { _tag: 'HttpError' })).toThrow()
    expect(() => expectTypedFailure(world, clean, { _tag: 'HttpError', code: 'timeout' })).toThrow()
    expect(() => expectTypedFailure(world, { lines: [], before: '{}', after: '{}', result: {} }, { _tag: 'HttpError' })).toThrow()
    expect(() => expectSuccess(world, clean)).toThrow()
  })

  it('catch an error that is not an AuthFailure, or a message that is a bare code', () => {
    const plain = Object.assign(new Error('boom'), { authError: { _tag: 'TypeError', code: 'network', message: 'boom' } })
    expect(() => expectTypedFailure(world, { ...clean, failure: plain as never }, { code: 'network' })).toThrow()
    const bare = toFailure(httpError('network', 'https://idp.example/', 'ECONNRESET'))
    expect(() => expectTypedFailure(world, { ...clean, failure: bare }, { code: 'network' })).toThrow()
  })
})
