/**
 * A child process for the file store's cross-process tests: `node --import tsx
 * fileStore.worker.ts <cache path> <worker id> <updates>` adds one distinct access token
 * per update, each update a separate lock-read-modify-write, then exits 0 (1 on a store
 * error, printed to stderr).
 *
 * @internal
 * @module
 */
import { fileStore } from './fileStore.js'
import { addToken as addEntry } from './entries.testkit.js'

const addToken = (key: string) => addEntry(key, '', 'worker-app')

const [path, worker, count] = process.argv.slice(2)

const main = async (): Promise<number> => {
  if (path === undefined || worker === undefined || count === undefined) return 2
  const store = fileStore({ path })
  for (let i = 0; i < Number(count); i++) {
    const r = await store.update(addToken(`w${worker}-${i}`))()
    if (r._tag === 'Left') {
      process.stderr.write(`${r.left.message}\n`)
      return 1
    }
  }
  return 0
}

void main().then((code) => {
  process.exitCode = code
})
