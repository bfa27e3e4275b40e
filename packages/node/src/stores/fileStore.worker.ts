/**
 * A child process for the file store's cross-process tests:
 * `node --import tsx fileStore.worker.ts <cache path> <worker id> <updates> [<options JSON>]`
 * adds one distinct access token per update (key `w<worker id>-<i>`), each update a
 * separate lock-read-modify-write, and prints `ack <key> @<epoch ms>` on stdout as soon as
 * an update is acknowledged (stdout is a pipe, written synchronously on Linux, so an ack printed
 * before a SIGKILL is never lost).
 *
 * Options (JSON): `staleLockMs`, `lockTimeoutMs` (passed to the store); `concurrent: true`
 * starts every update at once (as concurrent grants of one process do) instead of one
 * after the other; `keepGoing: true` carries on after a failed update. A failure is
 * printed to stderr as `fail <key> <code> @<epoch ms>: <message>`. Exits 0 when every update was
 * acknowledged, 1 otherwise.
 *
 * @internal
 * @module
 */
import { fileStore } from './fileStore.js'
import { addToken as addEntry } from './entries.testkit.js'

const addToken = (key: string) => addEntry(key, '', 'worker-app')

const [path, worker, count, json] = process.argv.slice(2)

interface WorkerOptions {
  readonly staleLockMs?: number
  readonly lockTimeoutMs?: number
  readonly concurrent?: boolean
  readonly keepGoing?: boolean
}

const main = async (): Promise<number> => {
  if (path === undefined || worker === undefined || count === undefined) return 2
  const o = (json === undefined ? {} : JSON.parse(json)) as WorkerOptions
  const store = fileStore({
    path,
    ...(o.staleLockMs === undefined ? {} : { staleLockMs: o.staleLockMs }),
    ...(o.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: o.lockTimeoutMs }),
  })
  const one = async (i: number): Promise<boolean> => {
    const key = `w${worker}-${i}`
    const r = await store.update(addToken(key))()
    if (r._tag === 'Left') {
      process.stderr.write(`fail ${key} ${r.left.code} @${Date.now()}: ${r.left.message}\n`)
      return false
    }
    process.stdout.write(`ack ${key} @${Date.now()}\n`)
    return true
  }
  const indexes = Array.from({ length: Number(count) }, (_, i) => i)
  if (o.concurrent === true) return (await Promise.all(indexes.map(one))).every((ok) => ok) ? 0 : 1
  let failed = false
  for (const i of indexes) {
    if (!(await one(i))) {
      failed = true
      if (o.keepGoing !== true) break
    }
  }
  return failed ? 1 : 0
}

void main().then((code) => {
  process.exitCode = code
})
