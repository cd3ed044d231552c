import type { BenchResults, ScalePoint, SectionRun } from './results.ts'
import type { Figure } from './stats.ts'

/**
 * `bench/report.html`: one small chart per figure that has a bar, beside its
 * same-run baseline and the bar itself, then every figure in a table, the
 * load averages around each section, and the `scale` curve (or a placeholder
 * until a scale figure measures one). One self-contained file: inline SVG and
 * CSS, no script, nothing fetched, so it reads offline and two runs compare
 * side by side in two tabs. Pure: results in, HTML out.
 *
 * @example
 * writeFileSync('bench/report.html', renderReport(JSON.parse(readFileSync('bench/results.json', 'utf8'))))
 */
export function renderReport(results: BenchResults): string {
  const byId = new Map(results.figures.filter((f) => f.id).map((f) => [f.id!, f]))
  const charted = results.figures.filter((f) => f.meets !== undefined)
  const met = charted.filter((f) => f.meets).length
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>rtkit bench ${escape(results.at)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>rtkit benchmarks</h1>
<p>${escape(results.at)} · Node ${escape(results.node)} · ${results.cpus} CPUs · ${met} of ${charted.length} bars met</p>
<h2>Load average</h2>
${loadTable(results.sections)}
<h2>Figures against their bars</h2>
<div class="charts">
${charted.map((figure) => chart(figure, figure.baselineId ? byId.get(figure.baselineId) : undefined)).join('\n')}
</div>
<h2>Scale</h2>
${scale(results.scale, byId)}
<h2>Every figure</h2>
${figureTable(results.figures)}
</body>
</html>
`
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #222; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(34rem, 1fr)); gap: 1rem; }
figure { margin: 0; border: 1px solid #ddd; border-radius: 4px; padding: 0.5rem 0.75rem; }
figcaption { font-weight: 600; } figcaption .id { font-family: monospace; font-weight: 400; color: #555; }
.meets { color: #1a7f37; } .misses { color: #c62828; } .detail { color: #555; font-size: 12px; }
table { border-collapse: collapse; } td, th { border-bottom: 1px solid #eee; padding: 2px 8px; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
svg text { font: 11px system-ui, sans-serif; fill: #333; }
.placeholder { border: 1px dashed #aaa; padding: 1rem; color: #555; max-width: 40rem; }
`

const WIDTH = 520
const LABEL = 150
const ROW = 22
/** Where the bars end; the numbers are written to the right of it. */
const BAR_END = 380

interface Row {
  label: string
  median: number
  p99?: number | undefined
  kind: 'value' | 'baseline'
}

/** One figure: its median (and p99) beside its baseline's, with the bar as a dashed line. */
function chart(figure: Figure, baselineFigure: Figure | undefined): string {
  const status = figure.meets ? '<span class="meets">meets</span>' : '<span class="misses">MISSES</span>'
  const caption = `<figcaption>${escape(figure.name)} <span class="id">${escape(figure.id ?? '')}</span> ${status}</figcaption>`
  const detail = `<div class="detail">bar: ${escape(figure.bar)}${figure.ratio !== undefined ? ` · ratio ${figure.ratio}×` : ''}${
    figure.p99Ratio !== undefined ? ` (p99 ${figure.p99Ratio}×)` : ''
  }${figure.note ? ` · ${escape(figure.note)}` : ''}</div>`
  if (!Number.isFinite(figure.value)) return `<figure>${caption}<p class="misses">not measured</p>${detail}</figure>`
  const rows: Row[] = [{ label: figure.id ?? 'value', median: figure.value, p99: figure.p99, kind: 'value' }]
  if (figure.baseline !== undefined)
    rows.push({ label: figure.baselineId ?? 'baseline', median: figure.baseline, p99: baselineFigure?.p99, kind: 'baseline' })
  // The scale fits the medians and the bar; a p99 beyond them is a tick at the edge (its number is in the text column).
  const max = Math.max(...rows.map((r) => r.median), figure.limit ?? 0) * 1.25 || 1
  const x = (v: number) => LABEL + (Math.min(v, max) / max) * (BAR_END - LABEL)
  const height = rows.length * ROW + 24
  const bars = rows
    .map((row, i) => {
      const y = 6 + i * ROW
      const fill = row.kind === 'baseline' ? '#9e9e9e' : figure.meets ? '#2e7d32' : '#c62828'
      const p99 =
        row.p99 !== undefined
          ? `<line x1="${x(row.p99)}" x2="${x(row.p99)}" y1="${y}" y2="${y + 14}" stroke="#000" stroke-width="2"${row.p99 > max ? ' stroke-dasharray="2 2"' : ''}><title>p99 ${row.p99}</title></line>`
          : ''
      const text = `${row.median}${row.p99 !== undefined ? ` · p99 ${row.p99}` : ''} ${figure.unit}`
      return (
        `<text x="0" y="${y + 11}">${escape(row.label)}</text>` +
        `<rect x="${LABEL}" y="${y}" width="${Math.max(1, x(row.median) - LABEL)}" height="14" fill="${fill}"><title>${row.median} ${escape(figure.unit)}</title></rect>` +
        p99 +
        `<text x="${BAR_END + 8}" y="${y + 11}">${escape(text)}</text>`
      )
    })
    .join('')
  const limit =
    figure.limit !== undefined
      ? `<line x1="${x(figure.limit)}" x2="${x(figure.limit)}" y1="2" y2="${height - 16}" stroke="#1565c0" stroke-dasharray="4 3" stroke-width="2"/>` +
        `<text x="${x(figure.limit)}" y="${height - 4}" text-anchor="middle" fill="#1565c0">bar ${figure.atLeast ? '≥' : '≤'} ${figure.limit} ${escape(figure.unit)}</text>`
      : ''
  const svg = `<svg role="img" aria-label="${escape(`${figure.id ?? figure.name}: ${figure.value} ${figure.unit}`)}" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">${bars}${limit}</svg>`
  return `<figure>${caption}${svg}${detail}</figure>`
}

function loadTable(sections: readonly SectionRun[]): string {
  const rows = sections
    .map(
      (s) =>
        `<tr><td>${escape(s.name)}</td><td class="num">${s.seconds}</td><td class="num">${s.loadavg.start.join(' / ')}</td><td class="num">${s.loadavg.end.join(' / ')}</td></tr>`,
    )
    .join('\n')
  return `<table><thead><tr><th>section</th><th>seconds</th><th>load at start (1 / 5 / 15 min)</th><th>load at end</th></tr></thead><tbody>
${rows}
</tbody></table>`
}

function figureTable(figures: readonly Figure[]): string {
  const rows = figures
    .map(
      (f) =>
        `<tr><td>${escape(f.id ?? '')}</td><td>${escape(f.name)}</td><td class="num">${f.value}${f.p99 !== undefined ? ` (p99 ${f.p99})` : ''} ${escape(f.unit)}</td><td>${escape(f.bar)}</td><td>${
          f.meets === undefined ? '' : f.meets ? '<span class="meets">meets</span>' : '<span class="misses">MISSES</span>'
        }</td><td>${escape(f.note ?? '')}</td></tr>`,
    )
    .join('\n')
  return `<table><thead><tr><th>id</th><th>measure</th><th>median</th><th>bar</th><th></th><th>notes</th></tr></thead><tbody>
${rows}
</tbody></table>`
}

/**
 * The scale curve: N sockets against KB per socket and against p99 (and the
 * node's CPU and the machine's idle time where measured: a p99 taken on a
 * machine with nothing left idle measures the machine), each with its bar
 * as a dashed line where the run has one (`scale.socketKB`, `scale.p99`),
 * or a placeholder until a scale figure measures one.
 */
function scale(points: readonly ScalePoint[] | undefined, byId: ReadonlyMap<string, Figure>): string {
  if (!points?.length)
    return `<div class="placeholder" id="scale-placeholder">No <code>scale</code> figure in this run. Once one is measured, this shows N sockets held on one realtime node against KB per socket (<code>scale.socketKB</code>) and write → receive p99 (<code>scale.p99</code>).</div>`
  const withCpu = points.every((p) => p.cpu !== undefined)
  const withIdle = points.every((p) => p.machineIdle !== undefined)
  return `<div class="charts">${curve(points, 'socketKB', 'KB per socket', byId.get('scale.socketKB')?.limit)}${curve(
    points,
    'p99',
    'p99, ms',
    byId.get('scale.p99')?.limit,
  )}${withCpu ? curve(points, 'cpu', 'server CPU, % of one core', undefined) : ''}${
    withIdle ? curve(points, 'machineIdle', 'machine idle, % of all cores', undefined) : ''
  }</div>`
}

function curve(
  points: readonly ScalePoint[],
  key: 'socketKB' | 'p99' | 'cpu' | 'machineIdle',
  label: string,
  bar: number | undefined,
): string {
  const sorted = [...points].sort((a, b) => a.sockets - b.sockets)
  const value = (p: ScalePoint) => p[key] ?? 0
  const [w, h, pad] = [WIDTH, 180, 40]
  const maxX = Math.max(...sorted.map((p) => p.sockets)) || 1
  const maxY = Math.max(...sorted.map(value), bar ?? 0) * 1.2 || 1
  const px = (n: number) => pad + (n / maxX) * (w - 2 * pad)
  const py = (v: number) => h - pad + 10 - (v / maxY) * (h - pad - 10)
  const path = sorted.map((p, i) => `${i ? 'L' : 'M'}${px(p.sockets)},${py(value(p))}`).join(' ')
  const dots = sorted
    .map(
      (p) =>
        `<circle cx="${px(p.sockets)}" cy="${py(value(p))}" r="3" fill="#1565c0"/><text x="${px(p.sockets)}" y="${py(value(p)) - 6}" text-anchor="middle">${value(p)}</text>`,
    )
    .join('')
  const ticks = sorted.map((p) => `<text x="${px(p.sockets)}" y="${h - 12}" text-anchor="middle">${p.sockets}</text>`).join('')
  const limit =
    bar !== undefined
      ? `<line x1="${pad}" x2="${w - pad}" y1="${py(bar)}" y2="${py(bar)}" stroke="#1565c0" stroke-dasharray="4 3" stroke-width="1.5"/><text x="${w - pad}" y="${py(bar) - 4}" text-anchor="end" fill="#1565c0">bar ≤ ${bar}</text>`
      : ''
  return `<figure><figcaption>N sockets → ${escape(label)}</figcaption><svg role="img" aria-label="${escape(label)} by sockets" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><line x1="${pad}" x2="${w - pad}" y1="${h - pad + 10}" y2="${h - pad + 10}" stroke="#999"/>${limit}<path d="${path}" fill="none" stroke="#1565c0" stroke-width="2"/>${dots}${ticks}</svg></figure>`
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
