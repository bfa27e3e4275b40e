import { describe, expect, it } from 'vitest'
import { timerSleep, wakeOnAbort, type Sleep } from './env.js'

const elapsed = async (task: () => Promise<void>): Promise<number> => {
  const started = Date.now()
  await task()
  return Date.now() - started
}

describe('timerSleep', () => {
  it('waits the given time without a signal, as before', async () => {
    expect(await elapsed(timerSleep(60))).toBeGreaterThanOrEqual(55)
  })

  it('returns as soon as the signal fires, and at once when it already has', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 30)
    expect(await elapsed(timerSleep(10_000, controller.signal))).toBeLessThan(1_000)
    expect(await elapsed(timerSleep(10_000, AbortSignal.abort()))).toBeLessThan(100)
  })

  it('a signal that never fires does not shorten the wait', async () => {
    expect(await elapsed(timerSleep(60, new AbortController().signal))).toBeGreaterThanOrEqual(55)
  })
})

describe('wakeOnAbort', () => {
  it('wakes a sleep that ignores its signal, and passes the signal on', async () => {
    const seen: Array<AbortSignal | undefined> = []
    const deaf: Sleep = (_ms, signal) => () => {
      seen.push(signal)
      return new Promise(() => undefined) // never ends on its own
    }
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 20)
    expect(await elapsed(wakeOnAbort(deaf)(10_000, controller.signal))).toBeLessThan(1_000)
    expect(seen).toEqual([controller.signal])
    expect(await elapsed(wakeOnAbort(deaf)(10_000, AbortSignal.abort()))).toBeLessThan(100)
  })

  it('otherwise ends when the sleep ends', async () => {
    const log: number[] = []
    const virtual: Sleep = (ms) => () => {
      log.push(ms)
      return Promise.resolve()
    }
    await wakeOnAbort(virtual)(1234, new AbortController().signal)()
    await wakeOnAbort(virtual)(5)()
    expect(log).toEqual([1234, 5])
  })
})
