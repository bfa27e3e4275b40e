/**
 * Issue 9, defect 1: a large or endless answer must end in a typed `too_large` error, fast
 * and with bounded memory, on both transports. Each case runs the transport in a child
 * process (largeAnswer.worker.ts) that reports its resident memory; the server here sends
 * 600 MB (declared or chunked) or never stops, as fast as the socket takes it.
 */
import { fork } from 'node:child_process'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const WORKER = fileURLToPath(new URL('./largeAnswer.worker.ts', import.meta.url))
const MB = 1024 * 1024
const SIZE = 600 * MB
const CHUNK = Buffer.alloc(64 * 1024, 'a')

/** Writes `total` bytes (Infinity: for ever) as fast as the socket drains, until the client goes away. */
const pump = (res: http.ServerResponse, total: number): void => {
  let sent = 0
  const write = (): void => {
    while (sent < total) {
      if (res.destroyed) return
      sent += CHUNK.length
      if (!res.write(CHUNK)) return void res.once('drain', write)
    }
    res.end()
  }
  write()
}

interface Report {
  readonly tag: 'Left' | 'Right'
  readonly code?: string
  readonly message?: string
  readonly ms: number
  readonly rssBefore: number
  readonly rssPeak: number
}

const run = (transport: 'node' | 'fetch', url: string) =>
  new Promise<{ readonly exit: number | null; readonly report: Report | undefined; readonly stderr: string }>((resolve, reject) => {
    const child = fork(WORKER, [transport, url], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] })
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
    const killer = setTimeout(() => child.kill('SIGKILL'), 40_000)
    child.on('error', reject)
    child.on('exit', (exit) => {
      clearTimeout(killer)
      const line = stdout.trim().split('\n').pop()
      resolve({ exit, report: line === undefined || line === '' ? undefined : (JSON.parse(line) as Report), stderr })
    })
  })

describe('answers past the size limit (600 MB and endless, real sockets, child processes)', () => {
  let server: http.Server
  let base = ''
  const measured: string[] = []

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/declared') {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(SIZE) })
        pump(res, SIZE)
      } else if (req.url === '/chunked') {
        res.writeHead(200, { 'Content-Type': 'application/json' })
        pump(res, SIZE)
      } else {
        res.writeHead(200, { 'Content-Type': 'application/json' })
        pump(res, Number.POSITIVE_INFINITY)
      }
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
    process.stdout.write(`answer-size memory (RSS growth in the client process):\n${measured.join('\n')}\n`)
  })

  for (const transport of ['node', 'fetch'] as const)
    for (const kind of ['declared', 'chunked', 'endless'] as const)
      it(`${transport === 'node' ? 'nodeHttpClient' : "fetchHttpClient (Node's fetch)"}: ${kind} answer gives too_large quickly with bounded memory`, async () => {
        const { exit, report, stderr } = await run(transport, `${base}/${kind}`)
        expect({ exit, stderr }).toEqual({ exit: 0, stderr: '' })
        expect(report).toMatchObject({ tag: 'Left', code: 'too_large' })
        if (report === undefined) return
        expect(report.message).toMatch(kind === 'declared' ? /declares 629145600 bytes, more than the 4194304-byte limit/ : /passed the 4194304-byte limit/)
        const growth = report.rssPeak - report.rssBefore
        measured.push(`  ${transport} ${kind}: ${(growth / MB).toFixed(1)} MB in ${report.ms} ms`)
        expect(report.ms).toBeLessThan(5_000)
        expect(growth).toBeLessThan(200 * MB)
      }, 60_000)
})
