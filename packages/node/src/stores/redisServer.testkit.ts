/**
 * Starts a throwaway `redis-server` on 127.0.0.1 and a free port for the store tests (no
 * config file; no persistence unless asked), and stops or kills it. Test support, not part
 * of the public API.
 *
 * @internal
 * @module
 */
import { spawn } from 'node:child_process'
import * as net from 'node:net'

/**
 * A running test Redis.
 *
 * @internal
 * @category testing
 * @since 0.1.0
 */
export interface TestRedis {
  readonly port: number
  readonly url: string
  readonly pid: number
  /** SIGTERM, and waits for the exit. */
  readonly stop: () => Promise<void>
  /** SIGKILL (a crash: nothing is saved on the way out), and waits for the exit. */
  readonly kill: () => Promise<void>
}

/**
 * Options of {@link startRedis}.
 *
 * @internal
 * @category testing
 * @since 0.1.0
 */
export interface TestRedisOptions {
  /** Listen on this port (to restart a server where its clients expect it). Default: a free one. */
  readonly port?: number
  /**
   * Keep the data in this directory with an append-only file fsynced before every reply
   * (`appendonly yes`, `appendfsync always`), so a write Redis acknowledged survives a
   * SIGKILL and a restart with the same directory. Default: no persistence.
   */
  readonly dataDir?: string
  /** More `redis-server` arguments, appended last (e.g. `--cluster-enabled yes`). Default: none. */
  readonly args?: ReadonlyArray<string>
  /** Kill it and reject when it is not ready within this many ms. Default 10,000. */
  readonly readyWithinMs?: number
}

/**
 * A TCP port on 127.0.0.1 that nothing listens on (the OS's choice of a free one).
 *
 * @internal
 * @category testing
 * @since 0.1.0
 */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

/**
 * Starts `redis-server` (from `PATH`, or `REDIS_SERVER`) and resolves once it accepts
 * connections; rejects with its output if it exits first or is not ready within
 * `readyWithinMs` (then it is killed).
 *
 * @internal
 * @category testing
 * @since 0.1.0
 */
export const startRedis = async (options: TestRedisOptions = {}): Promise<TestRedis> => {
  const port = options.port ?? (await freePort())
  const bin = process.env['REDIS_SERVER'] ?? 'redis-server'
  const persistence =
    options.dataDir === undefined ? ['--appendonly', 'no'] : ['--dir', options.dataDir, '--appendonly', 'yes', '--appendfsync', 'always']
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--daemonize', 'no', ...(options.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  const readyWithinMs = options.readyWithinMs ?? 10_000
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${bin} was not ready within ${readyWithinMs} ms (killed):\n${output}`))
    }, readyWithinMs)
    const onData = (d: Buffer): void => {
      output += d.toString()
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(new Error(`could not start ${bin}: ${e.message}; install redis-server (apt-get install redis-server)`))
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${bin} exited with ${String(code)} before it was ready:\n${output}`))
    })
  })
  const end = (signal: NodeJS.Signals) => async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    await exited
  }
  return { port, url: `redis://127.0.0.1:${port}`, pid: child.pid ?? -1, stop: end('SIGTERM'), kill: end('SIGKILL') }
}
