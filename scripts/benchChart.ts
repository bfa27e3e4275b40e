/**
 * The chart `pnpm bench` writes (docs/bench.svg): two panels side by side, cache-hit calls
 * per second and load + save time, each against the number of accounts in the cache, both
 * axes on a log scale, authfold beside msal-node and the bare `JSON.parse` +
 * `JSON.stringify` floor. Pure: results in, SVG text out; no dependencies.
 *
 * The bench fills {@link BenchChartRow}s (one per cache size; a figure not measured is left
 * out) and writes `renderBenchChart(benchPanelsOf(rows))`.
 *
 * @module
 */

/**
 * One cache size's figures, as `pnpm bench` measures them. Every figure is optional: one not
 * measured (a size not run, a library that failed) is left out of the chart.
 *
 * @category model
 * @since 0.1.0
 */
export interface BenchChartRow {
  /** Signed-in accounts in the cache. */
  readonly accounts: number
  /** authfold `acquireTokenSilent` cache hits through the public facade, per second. */
  readonly authfoldSilentOpsPerSec?: number
  /** msal-node `acquireTokenSilent` cache hits, per second. */
  readonly msalSilentOpsPerSec?: number
  /** authfold `acquireTokenForClient` cache hits, per second. */
  readonly authfoldClientOpsPerSec?: number
  /** msal-node `acquireTokenByClientCredential` cache hits, per second. */
  readonly msalClientOpsPerSec?: number
  /** authfold `deserialize` + `serialize` of the cache, milliseconds. */
  readonly authfoldLoadSaveMs?: number
  /** msal-node `deserialize` + `serialize` of the same cache, milliseconds. */
  readonly msalLoadSaveMs?: number
  /** Bare `JSON.parse` + `JSON.stringify` of the same text (the floor), milliseconds. */
  readonly jsonFloorMs?: number
}

/**
 * One line of a panel: its points as `[x, y]`, both positive (others are left out).
 *
 * @category model
 * @since 0.1.0
 */
export interface ChartSeries {
  readonly name: string
  readonly color: string
  readonly dashed?: boolean
  readonly points: ReadonlyArray<readonly [x: number, y: number]>
}

/**
 * One panel: a title, axis labels and its series.
 *
 * @category model
 * @since 0.1.0
 */
export interface ChartPanel {
  readonly title: string
  readonly xLabel: string
  readonly yLabel: string
  readonly series: ReadonlyArray<ChartSeries>
}

const AUTHFOLD = '#1f6feb'
const MSAL = '#d9480f'
const FLOOR = '#6e7781'

const usable = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v) && v > 0

/** The points of one figure over the rows, sorted by accounts, unusable values left out. */
const seriesOf = (rows: ReadonlyArray<BenchChartRow>, pick: (r: BenchChartRow) => number | undefined): ReadonlyArray<readonly [number, number]> =>
  rows
    .filter((r) => usable(r.accounts) && usable(pick(r)))
    .map((r) => [r.accounts, pick(r) as number] as const)
    .sort((a, b) => a[0] - b[0])

/**
 * The two panels of the bench chart from its rows: calls per second (authfold and msal-node,
 * `acquireTokenSilent` solid and client credentials dashed) and load + save time (authfold,
 * msal-node, the JSON floor).
 *
 * @category constructors
 * @since 0.1.0
 */
export const benchPanelsOf = (rows: ReadonlyArray<BenchChartRow>): ReadonlyArray<ChartPanel> => [
  {
    title: 'Cache hits through the public API (higher is better)',
    xLabel: 'accounts in the cache',
    yLabel: 'calls per second',
    series: [
      { name: 'authfold acquireTokenSilent', color: AUTHFOLD, points: seriesOf(rows, (r) => r.authfoldSilentOpsPerSec) },
      { name: 'msal-node acquireTokenSilent', color: MSAL, points: seriesOf(rows, (r) => r.msalSilentOpsPerSec) },
      { name: 'authfold acquireTokenForClient', color: AUTHFOLD, dashed: true, points: seriesOf(rows, (r) => r.authfoldClientOpsPerSec) },
      { name: 'msal-node acquireTokenByClientCredential', color: MSAL, dashed: true, points: seriesOf(rows, (r) => r.msalClientOpsPerSec) },
    ],
  },
  {
    title: 'Load + save of the cache JSON (lower is better)',
    xLabel: 'accounts in the cache',
    yLabel: 'milliseconds',
    series: [
      { name: 'authfold deserialize + serialize', color: AUTHFOLD, points: seriesOf(rows, (r) => r.authfoldLoadSaveMs) },
      { name: 'msal-node deserialize + serialize', color: MSAL, points: seriesOf(rows, (r) => r.msalLoadSaveMs) },
      { name: 'JSON.parse + JSON.stringify (floor)', color: FLOOR, dashed: true, points: seriesOf(rows, (r) => r.jsonFloorMs) },
    ],
  },
]

/**
 * The decades a log axis spans: from the power of ten at or below the smallest value to the
 * one at or above the largest (one decade when all values are equal). `[0, 1]` with no values.
 *
 * @category scales
 * @since 0.1.0
 */
export const decadesOf = (values: ReadonlyArray<number>): readonly [number, number] => {
  const logs = values.filter(usable).map(Math.log10)
  if (logs.length === 0) return [0, 1]
  const lo = Math.floor(Math.min(...logs) + 1e-9)
  const hi = Math.ceil(Math.max(...logs) - 1e-9)
  return hi > lo ? [lo, hi] : [lo, lo + 1]
}

/**
 * A log scale: maps `10^lo` to `from` and `10^hi` to `to`, linearly in the logarithm.
 *
 * @category scales
 * @since 0.1.0
 */
export const logScale =
  (decades: readonly [number, number], from: number, to: number) =>
  (v: number): number =>
    from + ((Math.log10(v) - decades[0]) / (decades[1] - decades[0])) * (to - from)

/**
 * A tick label: `1`, `10`, `100`, `1k`, `10k`, `100k`, `1M`, ... for powers of ten,
 * `0.1`, `0.01` below one.
 *
 * @category scales
 * @since 0.1.0
 */
export const tickLabel = (exponent: number): string => {
  if (exponent < 0) return (10 ** exponent).toFixed(-exponent)
  if (exponent < 3) return String(10 ** exponent)
  if (exponent < 6) return `${10 ** (exponent - 3)}k`
  if (exponent < 9) return `${10 ** (exponent - 6)}M`
  return `1e${exponent}`
}

/**
 * Text escaped for XML content and attribute values; characters XML 1.0 cannot hold
 * (control characters, lone surrogates, U+FFFE and U+FFFF) are dropped.
 *
 * @category utils
 * @since 0.1.0
 */
export const escapeXml = (s: string): string =>
  s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')

const PANEL_W = 480
const PANEL_H = 420
const M = { left: 64, right: 16, top: 40, bottom: 150 }
const n1 = (v: number): string => (Math.round(v * 10) / 10).toString()

/** One panel's SVG, drawn at `offsetX`. */
const panelSvg = (p: ChartPanel, offsetX: number): string => {
  const x0 = offsetX + M.left
  const x1 = offsetX + PANEL_W - M.right
  const y1 = M.top
  const plotBottom = PANEL_H - M.bottom
  const all = p.series.flatMap((s) => s.points)
  const xd = decadesOf(all.map(([x]) => x))
  const yd = decadesOf(all.map(([, y]) => y))
  const sx = logScale(xd, x0, x1)
  const sy = logScale(yd, plotBottom, y1)
  const out: Array<string> = []
  out.push(`<text x="${n1(offsetX + PANEL_W / 2)}" y="22" text-anchor="middle" font-weight="bold">${escapeXml(p.title)}</text>`)
  for (let e = xd[0]; e <= xd[1]; e++) {
    const x = n1(sx(10 ** e))
    out.push(`<line x1="${x}" y1="${n1(y1)}" x2="${x}" y2="${n1(plotBottom)}" stroke="#d0d7de" stroke-width="1"/>`)
    out.push(`<text x="${x}" y="${n1(plotBottom + 16)}" text-anchor="middle">${tickLabel(e)}</text>`)
  }
  for (let e = yd[0]; e <= yd[1]; e++) {
    const y = n1(sy(10 ** e))
    out.push(`<line x1="${n1(x0)}" y1="${y}" x2="${n1(x1)}" y2="${y}" stroke="#d0d7de" stroke-width="1"/>`)
    out.push(`<text x="${n1(x0 - 6)}" y="${y}" text-anchor="end" dominant-baseline="middle">${tickLabel(e)}</text>`)
  }
  out.push(`<rect x="${n1(x0)}" y="${n1(y1)}" width="${n1(x1 - x0)}" height="${n1(plotBottom - y1)}" fill="none" stroke="#57606a" stroke-width="1"/>`)
  out.push(`<text x="${n1((x0 + x1) / 2)}" y="${n1(plotBottom + 34)}" text-anchor="middle">${escapeXml(p.xLabel)} (log scale)</text>`)
  out.push(
    `<text x="${n1(offsetX + 16)}" y="${n1((y1 + plotBottom) / 2)}" text-anchor="middle" transform="rotate(-90 ${n1(offsetX + 16)} ${n1((y1 + plotBottom) / 2)})">${escapeXml(p.yLabel)} (log scale)</text>`,
  )
  for (const s of p.series) {
    if (s.points.length === 0) continue
    const dash = s.dashed === true ? ' stroke-dasharray="6 4"' : ''
    const pts = s.points.map(([x, y]) => `${n1(sx(x))},${n1(sy(y))}`).join(' ')
    out.push(`<polyline class="series" data-name="${escapeXml(s.name)}" points="${pts}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`)
    for (const [x, y] of s.points) out.push(`<circle cx="${n1(sx(x))}" cy="${n1(sy(y))}" r="3" fill="${s.color}"/>`)
  }
  // the legend, below the axis label
  p.series.forEach((s, i) => {
    const ly = plotBottom + 56 + i * 18
    const dash = s.dashed === true ? ' stroke-dasharray="6 4"' : ''
    out.push(`<line x1="${n1(x0)}" y1="${n1(ly)}" x2="${n1(x0 + 28)}" y2="${n1(ly)}" stroke="${s.color}" stroke-width="2"${dash}/>`)
    out.push(`<text x="${n1(x0 + 36)}" y="${n1(ly)}" dominant-baseline="middle">${escapeXml(s.name)}${s.points.length === 0 ? ' (not measured)' : ''}</text>`)
  })
  return out.join('\n')
}

/**
 * The chart as SVG text: the panels side by side, each with log axes labelled at every
 * power of ten, its series as lines with dots, and a legend.
 *
 * @example
 * writeFileSync('docs/bench.svg', renderBenchChart(benchPanelsOf(rows)))
 * @category rendering
 * @since 0.1.0
 */
export const renderBenchChart = (panels: ReadonlyArray<ChartPanel>, caption = ''): string => {
  const width = PANEL_W * Math.max(1, panels.length)
  const height = PANEL_H + (caption === '' ? 0 : 20)
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...panels.map((p, i) => panelSvg(p, i * PANEL_W)),
    caption === '' ? '' : `<text x="8" y="${height - 6}" fill="#57606a" font-size="11">${escapeXml(caption)}</text>`,
    `</svg>`,
    '',
  ].join('\n')
}
