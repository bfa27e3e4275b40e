import { describe, expect, it } from 'vitest'
import * as TE from 'fp-ts/TaskEither'
import { configError, type AuthError } from '@authfold/core'
import { withPromises } from './promises.js'
import type { AuthFailure } from './failure.js'

describe('withPromises', () => {
  it('makes a Promise twin of every TaskEither method and keeps the originals under te', async () => {
    const te = {
      double: (n: number): TE.TaskEither<AuthError, number> => TE.right(n * 2),
      refuse: (): TE.TaskEither<AuthError, never> => TE.left(configError('invalid_argument', 'No. Pass something else.', 'x')),
    }
    const app = withPromises(te)
    expect(await app.double(21)).toBe(42)
    expect(app.te).toBe(te)
    const failure = await app.refuse().catch((e: AuthFailure) => e)
    expect(failure).toBeInstanceOf(Error)
    expect(failure).toMatchObject({ name: 'ConfigError', message: 'No. Pass something else.', authError: { _tag: 'ConfigError', field: 'x' } })
    expect(Object.keys(app).sort()).toEqual(['double', 'refuse', 'te'])
  })

  it('a task that throws instead of answering rejects: a Promise method never throws synchronously', async () => {
    const app = withPromises({
      broken: (): TE.TaskEither<AuthError, number> => () => {
        throw new TypeError('a bug')
      },
    })
    let thrown: unknown
    let answer: Promise<number> | undefined
    try {
      answer = app.broken()
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeUndefined()
    await expect(answer).rejects.toThrow('a bug')
  })
})
