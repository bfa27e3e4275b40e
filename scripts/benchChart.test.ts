import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import * as fc from 'fast-check'
import { descendants, parseXml, type XmlElement } from '@authfold/wstrust'
import { benchPanelsOf, decadesOf, escapeXml, logScale, renderBenchChart, tickLabel, type BenchChartRow } from './benchChart.js'

const SVG = 'http://www.w3.org/2000/svg'

// the README's figures (BENCH_SIZES=10,1000,10000 pnpm bench, this round)
const rows: ReadonlyArray<BenchChartRow> = [
  { accounts: 10, authfoldSilentOpsPerSec: 318_768, msalSilentOpsPerSec: 9_303, authfoldLoadSaveMs: 0.64, msalLoadSaveMs: 0.81 },
  { accounts: 1_000, authfoldSilentOpsPerSec: 324_611, msalSilentOpsPerSec: 262, authfoldLoadSaveMs: 62.1, msalLoadSaveMs: 58.4 },
  { accounts: 10_000, authfoldSilentOpsPerSec: 348_975, msalSilentOpsPerSec: 14.1, authfoldLoadSaveMs: 612, msalLoadSaveMs: 396 },
]

const parse = (svg: string): XmlElement => {
  const r = parseXml(svg)
  if (E.isLeft(r)) throw new Error(r.left.reason)
  return r.right
}
const polylines = (root: XmlElement): ReadonlyArray<XmlElement> => descendants(root).filter((e) => e.uri === SVG && e.local === 'polyline')
const pointsOf = (line: XmlElement): ReadonlyArray<readonly [number, number]> =>
  (line.attributes['points'] ?? '').split(' ').map((p) => p.split(',').map(Number) as unknown as readonly [number, number])

describe('log scale', () => {
  it('places powers of ten evenly and 10^1.5 halfway between 10 and 100', () => {
    const s = logScale([1, 4], 0, 300)
    expect(s(10)).toBe(0)
    expect(s(100)).toBe(100)
    expect(s(1_000)).toBe(200)
    expect(s(10_000)).toBe(300)
    expect(s(10 ** 1.5)).toBeCloseTo(50, 9)
    // an inverted range (SVG's y grows downwards)
    expect(logScale([0, 2], 200, 0)(10)).toBe(100)
  })

  it('spans whole decades around the values', () => {
    expect(decadesOf([10, 10_000])).toEqual([1, 4])
    expect(decadesOf([14.1, 348_975])).toEqual([1, 6])
    expect(decadesOf([0.64, 612])).toEqual([-1, 3])
    expect(decadesOf([100])).toEqual([2, 3])
    expect(decadesOf([])).toEqual([0, 1])
    expect(decadesOf([0, -3, Number.NaN])).toEqual([0, 1])
  })

  it('labels ticks as a reader writes them', () => {
    expect([-2, -1, 0, 1, 2, 3, 4, 5, 6, 7].map(tickLabel)).toEqual(['0.01', '0.1', '1', '10', '100', '1k', '10k', '100k', '1M', '10M'])
  })
})

describe('renderBenchChart', () => {
  it('is well-formed SVG with two panels, labelled log ticks and a legend naming every series', () => {
    const svg = renderBenchChart(benchPanelsOf(rows))
    const root = parse(svg)
    expect([root.uri, root.local]).toEqual([SVG, 'svg'])
    const texts = descendants(root).filter((e) => e.local === 'text').map((e) => e.text)
    for (const tick of ['10', '100', '1k', '10k', '100k', '1M', '0.1', '1']) expect(texts).toContain(tick)
    for (const name of ['authfold acquireTokenSilent', 'msal-node acquireTokenSilent', 'authfold deserialize + serialize', 'msal-node deserialize + serialize']) {
      expect(texts).toContain(name)
    }
    // the floor was not measured in these rows: named, said so, not drawn
    expect(texts).toContain('JSON.parse + JSON.stringify (floor) (not measured)')
    expect(polylines(root).map((l) => l.attributes['data-name'])).toEqual([
      'authfold acquireTokenSilent',
      'msal-node acquireTokenSilent',
      'authfold deserialize + serialize',
      'msal-node deserialize + serialize',
    ])
    expect(svg).not.toMatch(/NaN|Infinity|undefined/)
  })

  it('puts the known values where the log scale says', () => {
    const root = parse(renderBenchChart(benchPanelsOf(rows)))
    const [afSilent, msSilent] = polylines(root)
    const af = pointsOf(afSilent as XmlElement)
    const ms = pointsOf(msSilent as XmlElement)
    // x: 10, 1,000, 10,000 accounts on decades 1..4: 1,000 is two thirds of the way
    const [x10, x1k, x10k] = af.map(([x]) => x) as [number, number, number]
    expect((x1k - x10) / (x10k - x10)).toBeCloseTo(2 / 3, 2)
    // y: 9,303 and 14.1 calls a second are log10(9303 / 14.1) decades apart, a sixth of the panel each (decades 1..6)
    const decadePx = ((ms[2] as readonly [number, number])[1] - (ms[0] as readonly [number, number])[1]) / Math.log10(9_303 / 14.1)
    expect(decadePx).toBeGreaterThan(0)
    expect(((af[0] as readonly [number, number])[1] - (ms[0] as readonly [number, number])[1]) / decadePx).toBeCloseTo(-Math.log10(318_768 / 9_303), 1)
  })

  it('for any results: well-formed, no NaN, every line monotone in x, unusable figures left out', () => {
    const figure = fc.oneof(fc.double({ min: 1e-3, max: 1e7, noNaN: true }), fc.constantFrom(0, -1, Number.NaN, Number.POSITIVE_INFINITY, undefined))
    const rowArb: fc.Arbitrary<BenchChartRow> = fc.record({
      accounts: fc.oneof(fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom(0, Number.NaN)),
      authfoldSilentOpsPerSec: figure,
      msalSilentOpsPerSec: figure,
      authfoldClientOpsPerSec: figure,
      msalClientOpsPerSec: figure,
      authfoldLoadSaveMs: figure,
      msalLoadSaveMs: figure,
      jsonFloorMs: figure,
    }).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as unknown as BenchChartRow)
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 6 }), fc.string({ maxLength: 20, unit: 'binary' }), (rs, caption) => {
        const svg = renderBenchChart(benchPanelsOf(rs), caption)
        expect(svg).not.toMatch(/NaN|Infinity|undefined/)
        const root = parse(svg)
        for (const line of polylines(root)) {
          const xs = pointsOf(line).map(([x]) => x)
          for (let i = 1; i < xs.length; i++) expect(xs[i]).toBeGreaterThanOrEqual(xs[i - 1] as number)
          for (const [x, y] of pointsOf(line)) expect(Number.isFinite(x) && Number.isFinite(y)).toBe(true)
        }
      }),
      { numRuns: 200 },
    )
  })

  it('escapes text', () => {
    expect(escapeXml(`a<b & "c" 'd'>`)).toBe('a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;')
    // characters XML 1.0 cannot hold are dropped
    expect(escapeXml('a\u0001b\ud800c\uffff')).toBe('abc')
  })
})
