import { describe, expect, it } from 'vitest'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { root } from './build.js'
import { apps, budgetOverruns } from './size.js'

describe('the size report', () => {
  it('lists every authfold app in examples/size-apps, each with a budget, and the two aims of issue 14 (5 KB through the lean entry, 10 KB through the lean createConfidentialClient)', () => {
    const files = readdirSync(join(root, 'examples/size-apps')).filter((f) => /^authfold-.*\.ts$/.test(f)).map((f) => f.replace(/\.ts$/, ''))
    expect(apps.map(([, ours]) => ours).sort()).toEqual(files.sort())
    expect(apps.every(([, , , budget]) => budget > 0)).toBe(true)
    expect(apps.filter(([, , , , goal]) => goal !== undefined).map(([, ours, , , goal]) => [ours, goal])).toEqual([
      ['authfold-secret-lean', 5.0],
      ['authfold-secret-lean-facade', 10.0],
    ])
  })

  it('fails an app past its budget (rollup, either platform), not one at it, and never on an esbuild figure', () => {
    const budgets = [['app', 10.0]] as const
    const at = { label: 'app', bundler: 'rollup', platform: 'browser', gzipped: 10 * 1024 } as const
    expect(budgetOverruns([at, { ...at, platform: 'node' }], budgets)).toEqual([])
    expect(budgetOverruns([{ ...at, platform: 'node', gzipped: 10 * 1024 + 52 }], budgets)).toEqual(['app (rollup, node): 10.1 KB > budget 10.0 KB'])
    expect(budgetOverruns([{ ...at, bundler: 'esbuild', gzipped: 99 * 1024 }], budgets)).toEqual([])
    expect(budgetOverruns([{ ...at, label: 'new app' }], budgets)).toEqual(['new app (rollup, browser): no budget in scripts/size.ts'])
  })
})
