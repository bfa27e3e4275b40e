/**
 * @module
 */
import { spawn } from 'node:child_process'

/**
 * Opens a URL in the system browser (`open` on macOS, `start` on Windows, `xdg-open`
 * elsewhere), the default opener of `acquireTokenInteractive`. It resolves once the command
 * started, and rejects when it cannot be run (no desktop, no `xdg-open`): pass your own
 * opener there, or use the device code flow.
 *
 * @category interactive
 * @since 0.1.0
 */
export const systemBrowser = (url: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const [command, args] =
      process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]]
    const child = spawn(command, args as ReadonlyArray<string>, { stdio: 'ignore', detached: true })
    child.once('error', reject)
    child.once('spawn', () => {
      child.unref()
      resolve()
    })
  })
