/**
 * Starts a throwaway `redis-server` on 127.0.0.1 and a free port for the store tests (no
 * persistence, no config file), and stops it. Test support, not part of the public API.
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
  readonly stop: () => Promise<void>
}

const freePort = (): Promise<number> =>
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
 * connections; rejects with its output if it exits first.
 *
 * @internal
 * @category testing
 * @since 0.1.0
 */
export const startRedis = async (): Promise<TestRedis> => {
  const port = await freePort()
  const bin = process.env['REDIS_SERVER'] ?? 'redis-server'
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer): void => {
      output += d.toString()
      if (output.includes('Ready to accept connections')) resolve()
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.on('error', (e) => reject(new Error(`could not start ${bin}: ${e.message}; install redis-server (apt-get install redis-server)`)))
    child.on('exit', (code) => reject(new Error(`${bin} exited with ${String(code)} before it was ready:\n${output}`)))
  })
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}
