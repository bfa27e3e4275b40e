/**
 * A child process for the answer-size tests: `node --import tsx largeAnswer.worker.ts
 * <node|fetch> <url>` sends one GET with the named transport (default limits, a 20 s
 * timeout) and prints one JSON line: the outcome's tag and code, the milliseconds it took,
 * and the resident memory before and at its highest during the call, in bytes. Memory is
 * measured here, in a process of its own, so the test runner's heap does not blur it.
 *
 * @internal
 * @module
 */
import { fetchHttpClient } from '@authfold/core'
import { nodeHttpClient } from './nodeHttpClient.js'

const [transport, url] = process.argv.slice(2)

const main = async (): Promise<void> => {
  if (url === undefined || (transport !== 'node' && transport !== 'fetch')) throw new Error('usage: <node|fetch> <url>')
  const http = transport === 'node' ? nodeHttpClient({ timeoutMs: 20_000 }) : fetchHttpClient({ timeoutMs: 20_000 })
  const rssBefore = process.memoryUsage.rss()
  let rssPeak = rssBefore
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss())
  }, 5)
  const started = Date.now()
  const result = await http({ method: 'GET', url, headers: {} })()
  const ms = Date.now() - started
  clearInterval(sampler)
  rssPeak = Math.max(rssPeak, process.memoryUsage.rss())
  const outcome = result._tag === 'Left' ? { tag: 'Left', code: result.left.code, message: result.left.message } : { tag: 'Right', bodyLength: result.right.body.length }
  process.stdout.write(`${JSON.stringify({ ...outcome, ms, rssBefore, rssPeak })}\n`)
}

void main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${String(e)}\n`)
    process.exit(1)
  },
)
