// The suite as a process: Node, Bun and Deno run this file beside the suite's bundle. The
// config file is the first argument; events go to stdout as prefixed JSON lines; the exit
// code is the number of failed cases (0: all passed).
import { EVENT_PREFIX, runSuite } from './suite.js'

const deno = globalThis.Deno
const [configFile] = deno !== undefined ? deno.args : process.argv.slice(2)
const text = deno !== undefined ? await deno.readTextFile(configFile) : await (await import('node:fs/promises')).readFile(configFile, 'utf8')
const { failed } = await runSuite(JSON.parse(text), (event) => console.log(EVENT_PREFIX + JSON.stringify(event)))
if (deno !== undefined) deno.exit(failed)
else process.exit(failed)
