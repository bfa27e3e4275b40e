import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import { httpError, type AuthError } from '@authfold/core'
import { singleFlight } from './singleFlight.js'

interface Answer {
  readonly token: string
  readonly nested: { readonly n: number }
}

// A work that answers when told to, counting its runs and keeping its signal.
const scripted = () => {
  const runs: AbortSignal[] = []
  let settle: (outcome: E.Either<AuthError, Answer>) => void = () => undefined
  const work = (signal: AbortSignal): TE.TaskEither<AuthError, Answer> => () => {
    runs.push(signal)
    return new Promise((resolve) => {
      settle = resolve
      signal.addEventListener('abort', () => resolve(E.left(httpError('aborted', 'u', 'aborted'))), { once: true })
    })
  }
  return { runs, work, settle: (o: E.Either<AuthError, Answer>) => settle(o) }
}

const never = () => new AbortController().signal
const tick = () => new Promise((r) => setTimeout(r, 0))

describe('singleFlight', () => {
  it('identical joins run the work once; each sharer gets its own copy of the answer; the entry goes when settled', async () => {
    const flights = singleFlight<Answer>()
    const w = scripted()
    const owner = {}
    const calls = Array.from({ length: 10 }, () => flights.join('k', owner, never(), w.work)())
    await tick()
    expect(w.runs).toHaveLength(1)
    expect(flights.size()).toBe(1)
    w.settle(E.right({ token: 't', nested: { n: 1 } }))
    const results = await Promise.all(calls)
    expect(results.every((r) => E.isRight(r) && r.right.token === 't')).toBe(true)
    const rights = results.map((r) => (E.isRight(r) ? r.right : undefined))
    expect(new Set(rights).size).toBe(10)
    expect(new Set(rights.map((r) => r?.nested)).size).toBe(10)
    expect(flights.size()).toBe(0)
    // a later call starts afresh
    const later = flights.join('k', owner, never(), w.work)()
    await tick()
    expect(w.runs).toHaveLength(2)
    w.settle(E.right({ token: 't2', nested: { n: 2 } }))
    expect(await later).toMatchObject({ _tag: 'Right', right: { token: 't2' } })
    expect(flights.size()).toBe(0)
  })

  it('another key or another owner (credential) never shares', async () => {
    const flights = singleFlight<Answer>()
    const w = scripted()
    const [a, b] = [{}, {}]
    void flights.join('k', a, never(), w.work)()
    void flights.join('k2', a, never(), w.work)()
    void flights.join('k', b, never(), w.work)()
    void flights.join('k', undefined, never(), w.work)()
    await tick()
    expect(w.runs).toHaveLength(4)
    expect(flights.size()).toBe(4)
  })

  it('one sharer of two aborting gets aborted at once; the other still gets the answer from the same request', async () => {
    const flights = singleFlight<Answer>()
    const w = scripted()
    const quitter = new AbortController()
    const first = flights.join('k', undefined, quitter.signal, w.work)()
    const second = flights.join('k', undefined, never(), w.work)()
    await tick()
    quitter.abort()
    expect(await first).toMatchObject({ _tag: 'Left', left: { _tag: 'HttpError', code: 'aborted' } })
    expect(w.runs[0]?.aborted).toBe(false)
    w.settle(E.right({ token: 't', nested: { n: 1 } }))
    expect(await second).toMatchObject({ _tag: 'Right', right: { token: 't' } })
    expect(w.runs).toHaveLength(1)
    expect(flights.size()).toBe(0)
  })

  it('when every sharer has gone the shared work is aborted and its entry removed', async () => {
    const flights = singleFlight<Answer>()
    const w = scripted()
    const c1 = new AbortController()
    const c2 = new AbortController()
    const calls = [flights.join('k', undefined, c1.signal, w.work)(), flights.join('k', undefined, c2.signal, w.work)()]
    await tick()
    c1.abort()
    await tick()
    expect(w.runs[0]?.aborted).toBe(false)
    c2.abort()
    expect(w.runs[0]?.aborted).toBe(true)
    expect(flights.size()).toBe(0)
    for (const r of await Promise.all(calls)) expect(r).toMatchObject({ _tag: 'Left', left: { code: 'aborted' } })
    // an already aborted caller starts nothing
    expect(await flights.join('k', undefined, AbortSignal.abort(), w.work)()).toMatchObject({ _tag: 'Left', left: { code: 'aborted' } })
    expect(w.runs).toHaveLength(1)
  })

  it('a failure reaches every sharer as the same typed error, each its own object', async () => {
    const flights = singleFlight<Answer>()
    const w = scripted()
    const calls = [1, 2, 3].map(() => flights.join('k', undefined, never(), w.work)())
    await tick()
    w.settle(E.left(httpError('status', 'https://idp/token', 'The identity provider answered 500. Try again later.', { status: 500 })))
    const errors = (await Promise.all(calls)).map((r) => (E.isLeft(r) ? r.left : undefined))
    for (const e of errors) expect(e).toEqual({ _tag: 'HttpError', code: 'status', url: 'https://idp/token', message: 'The identity provider answered 500. Try again later.', status: 500 })
    expect(new Set(errors).size).toBe(3)
    expect(flights.size()).toBe(0)
  })
})
