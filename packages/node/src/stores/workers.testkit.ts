/**
 * Runs the store worker processes of the cross-process tests and collects what they
 * acknowledged: every `ack <key>` (or `ack <key> @<epoch ms>`) line a worker printed (stdout is a pipe, written
 * synchronously on Linux, so an ack printed before a SIGKILL is kept), its `fail` lines,
 * and how it ended. Test support, not part of the public API.
 *
 * @internal
 * @module
 */
import { fork, type ChildProcess } from 'node:child_process'

/**
 * A running worker process.
 *
 * @internal
 * @category testing
 * @since 0.1.0
 */
export interface Worker {
  readonly child: ChildProcess
  readonly pid: number
  /** Keys acknowledged so far, in order. */
  readonly acks: ReadonlyArray<string>
  /** When each ack was made, by the worker's clock (`NaN` when the worker does not say). */
  readonly ackTimes: ReadonlyArray<number>
  /** `fail <key> <code>[ @<epoch ms>]: <message>` lines so far. */
  readonly failures: ReadonlyArray<string>
  /** When each failure happened, by the worker's clock (`NaN` when the worker does not say). */
  readonly failureTimes: ReadonlyArray<number>
  /** Other stdout lines (such as a worker's closing `stats {...}`). */
  readonly notes: ReadonlyArray<string>
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly stderr: string }>
}

/**
 * Starts `node --import tsx <script> ...args` and follows its output.
 *
 * @internal
 * @category testing
 * @since 0.1.0
 */
export const startWorker = (script: string, args: ReadonlyArray<string>): Worker => {
  const child = fork(script, [...args], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] })
  const acks: string[] = []
  const ackTimes: number[] = []
  const failures: string[] = []
  const failureTimes: number[] = []
  const at = (line: string): number => Number(/ @(\d+)/.exec(line)?.[1] ?? NaN)
  const notes: string[] = []
  let stderr = ''
  let partial = ''
  let partialErr = ''
  child.stdout?.on('data', (d: Buffer) => {
    const lines = (partial + d.toString()).split('\n')
    partial = lines.pop() ?? ''
    for (const line of lines) {
      if (line.startsWith('ack ')) {
        acks.push(line.split(' ')[1] ?? '')
        ackTimes.push(at(line))
      } else notes.push(line)
    }
  })
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString()
    const lines = (partialErr + d.toString()).split('\n')
    partialErr = lines.pop() ?? ''
    for (const line of lines) {
      if (line.startsWith('fail ')) {
        failures.push(line)
        failureTimes.push(at(line))
      }
    }
  })
  const exited = new Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly stderr: string }>((resolve, reject) => {
    child.on('error', reject)
    // 'close' waits for stdout to be drained, so every ack printed is counted.
    child.on('close', (code, signal) => resolve({ code, signal, stderr }))
  })
  return { child, pid: child.pid ?? -1, acks, ackTimes, failures, failureTimes, notes, exited }
}

/**
 * Waits until `test()` holds, checking every `everyMs`, for at most `withinMs`; false on
 * timeout.
 *
 * @internal
 * @category testing
 * @since 0.1.0
 */
export const waitFor = async (test: () => boolean | Promise<boolean>, withinMs: number, everyMs = 2): Promise<boolean> => {
  const end = Date.now() + withinMs
  while (Date.now() < end) {
    if (await test()) return true
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
  return test()
}
