/**
 * Builds every package as it is published: rollup (`dist/`, `dist/node/`), tsc (declarations)
 * and copy-types, into a clean `dist/`. `pnpm build` always builds; `ensureBuilt()` (used by
 * the size report, the bundle, dist, Node 18 and tarball checks) builds only when a source,
 * a package.json or the build's own config changed since the last build, and holds a lock
 * across processes, so test files running in parallel share one build instead of
 * overwriting each other's output.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const packageNames = ['core', 'cache', 'grants', 'wstrust', 'client', 'node', 'testing', 'cli'] as const

const stampFile = join(root, '.tmp/build.stamp')
const lockDir = join(root, '.tmp/build.lock')

const filesUnder = (dir: string): ReadonlyArray<string> =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
        d.isDirectory() ? filesUnder(join(dir, d.name)) : [join(dir, d.name)],
      )
    : []

/** A hash of everything the build reads: sources, package.json files and the build config. */
export const buildInputsHash = (): string => {
  const files = [
    ...packageNames.flatMap((p) => [...filesUnder(join(root, 'packages', p, 'src')), join(root, 'packages', p, 'package.json')]),
    ...['rollup.config.mjs', 'scripts/rollup-ts.mjs', 'scripts/copy-types.mjs', 'scripts/build.ts', 'tsconfig.base.json', 'tsconfig.build.json'].map((f) => join(root, f)),
  ].sort()
  const h = createHash('sha256')
  for (const f of files) h.update(f).update('\0').update(readFileSync(f)).update('\0')
  return h.digest('hex')
}

/** What `dist/` holds now (every file, its size and time), so a build by other means is seen. */
const outputsHash = (): string => {
  const h = createHash('sha256')
  for (const f of packageNames.flatMap((p) => filesUnder(join(root, 'packages', p, 'dist'))).sort()) {
    const s = statSync(f)
    h.update(`${f}\0${s.size}\0${s.mtimeMs}\0`)
  }
  return h.digest('hex')
}

const stamp = (inputs: string): string => `${inputs}\n${outputsHash()}\n`

const isUpToDate = (inputs: string): boolean =>
  packageNames.every((p) => existsSync(join(root, 'packages', p, 'dist/index.d.ts'))) &&
  existsSync(stampFile) &&
  readFileSync(stampFile, 'utf8') === stamp(inputs)

const run = (script: string, args: ReadonlyArray<string>): void => {
  execFileSync(process.execPath, [join(root, script), ...args], { cwd: root, stdio: 'pipe' })
}

/** Builds every package into a clean `dist/`, unconditionally. */
export const build = (): void => {
  for (const p of packageNames) rmSync(join(root, 'packages', p, 'dist'), { recursive: true, force: true })
  rmSync(join(root, '.tmp/types'), { recursive: true, force: true })
  run('node_modules/rollup/dist/bin/rollup', ['-c', 'rollup.config.mjs', '--silent'])
  run('node_modules/typescript/bin/tsc', ['-p', 'tsconfig.build.json'])
  run('scripts/copy-types.mjs', [])
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

const acquireLock = async (deadline: number): Promise<void> => {
  mkdirSync(join(root, '.tmp'), { recursive: true })
  for (;;) {
    try {
      mkdirSync(lockDir)
      return
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      // A lock left by a killed build: no build takes 5 minutes.
      const since = statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs
      if (since !== undefined && Date.now() - since > 300_000) rmSync(lockDir, { recursive: true, force: true })
      if (Date.now() > deadline) throw new Error(`Another build still holds ${lockDir}; remove it if no build is running.`)
      await sleep(200)
    }
  }
}

/** Builds the packages unless `dist/` already holds the build of the current sources. */
export const ensureBuilt = async (timeoutMs = 180_000): Promise<void> => {
  if (isUpToDate(buildInputsHash())) return
  await acquireLock(Date.now() + timeoutMs)
  try {
    const hash = buildInputsHash()
    if (isUpToDate(hash)) return
    rmSync(stampFile, { force: true })
    build()
    writeFileSync(stampFile, stamp(hash))
  } finally {
    rmSync(lockDir, { recursive: true, force: true })
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  build()
  writeFileSync(stampFile, stamp(buildInputsHash()))
  console.log(`built ${packageNames.map((p) => `@authfold/${p}`).join(', ')} (dist/, dist/node/, .d.ts)`)
}
