/**
 * Regenerates the cache interop fixtures in `packages/cache/src/interop/fixtures/`:
 * real sign-ins (username/password and client credentials) with MSAL Python 1.21
 * (`/usr/bin/python3`) and @azure/msal-node against a fresh local IdP, each library's
 * serialized cache written as it came out, except that
 *
 * - every access and refresh token secret becomes `"<redacted>"` and every id_token keeps
 *   its header and claims but loses its signature (so no usable token is committed);
 * - the IdP's random port becomes 44300 (in environments and keys), so reruns diff cleanly
 *   apart from timestamps.
 *
 * Run: `pnpm tsx scripts/interop/generate-fixtures.ts`
 *
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { runScript, signInInput, startInteropIdp, type InteropScript } from './harness.js'

const OUT = fileURLToPath(new URL('../../packages/cache/src/interop/fixtures/', import.meta.url))

/**
 * The port fixtures name instead of the IdP's random one.
 *
 * @category interop
 * @since 0.1.0
 */
export const FIXTURE_PORT = 44300

const redact = (section: string, entry: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> => {
  if (typeof entry['secret'] !== 'string') return entry
  if (section === 'IdToken') {
    const [header = '', payload = ''] = entry['secret'].split('.')
    return { ...entry, secret: `${header}.${payload}.` }
  }
  return { ...entry, secret: '<redacted>' }
}

const fixture = (cache: string, host: string): string => {
  const parsed = JSON.parse(cache.split(host).join(`127.0.0.1:${FIXTURE_PORT}`)) as Record<string, Record<string, Record<string, unknown>>>
  const out = Object.fromEntries(
    Object.entries(parsed).map(([section, entries]) => [section, Object.fromEntries(Object.entries(entries).map(([k, e]) => [k, redact(section, e)]))]),
  )
  return `${JSON.stringify(out, null, 2)}\n`
}

const main = async (): Promise<void> => {
  const ctx = await startInteropIdp()
  try {
    await mkdir(OUT, { recursive: true })
    const runs: ReadonlyArray<readonly [InteropScript, string]> = [
      ['msal_python_signin.py', 'msal-python-1.21.0.json'],
      ['msal_node_signin.mjs', 'msal-node-7.2.3.json'],
    ]
    for (const [script, file] of runs) {
      const out = await runScript(ctx, script, signInInput(ctx))
      const version = out.msal_version ?? out.msal_node_version
      if (!file.includes(version ?? '?')) throw new Error(`${script} ran version ${version ?? 'unknown'}; rename the fixture or install the proved version.`)
      if (out.user?.ok !== true || out.app?.ok !== true) throw new Error(`${script}: a sign-in failed (${JSON.stringify({ user: out.user, app: out.app })}).`)
      await writeFile(new URL(file, `file://${OUT}`), fixture(out.cache, ctx.idp.host))
      console.log(`wrote ${file}`)
    }
  } finally {
    await ctx.stop()
  }
}

await main()
