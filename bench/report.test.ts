import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { renderReport } from './report.ts'
import type { BenchResults } from './results.ts'

// A pure test of the renderer on a small fixed run: no server, no timing.
const results: BenchResults = {
  at: '2026-12-04T19:00:00.000Z',
  node: 'v20.20.2',
  cpus: 2,
  sections: [{ name: 'render', seconds: 38.5, loadavg: { start: [6.18, 4.89, 4.32], end: [5.5, 4.9, 4.4] } }],
  figures: [
    {
      id: 'render.first5k',
      group: '5 render',
      name: '<rt-task-board> first render, 5000 tasks',
      value: 115.4,
      p99: 180,
      unit: 'ms',
      baseline: 23.1,
      baselineId: 'render.baseline',
      ratio: 5,
      barRatio: 1.5,
      limit: 34.7,
      bar: '≤ 1.5 × render.baseline (34.7)',
      meets: false,
      section: 'render',
    },
    {
      id: 'render.baseline',
      group: '5 render',
      name: 'baseline: bare list',
      value: 23.1,
      p99: 28.4,
      unit: 'ms',
      bar: 'baseline',
      section: 'render',
    },
    {
      id: 'render.change',
      group: '5 render',
      name: 'one remote change',
      value: 1.5,
      p99: 5.2,
      unit: 'ms',
      baseline: 1.1,
      baselineId: 'render.changeBaseline',
      limit: 2.2,
      bar: '≤ 2 × render.changeBaseline (2.2)',
      meets: true,
      section: 'render',
    },
    { id: 'render.writeToDom', group: '5 render', name: 'context & more', value: 13.9, unit: 'ms', bar: 'context', section: 'render' },
  ],
}

describe('renderReport', () => {
  describe('given a run without a scale figure', () => {
    const html = renderReport(results)

    it('draws one chart per figure that has a bar, and none for baselines or context', () => {
      assert.equal(html.match(/<svg /g)?.length, 2)
      assert.match(html, /aria-label="render\.first5k: 115\.4 ms"/)
      assert.match(html, /aria-label="render\.change: 1\.5 ms"/)
    })

    it('shows each figure beside its same-run baseline (with the baseline figure’s p99) and its bar', () => {
      const first = html.slice(html.indexOf('render.first5k: 115.4'), html.indexOf('render.change: 1.5'))
      assert.match(first, />render\.baseline<\/text>/)
      assert.match(first, /p99 28\.4/)
      assert.match(first, /bar ≤ 34\.7 ms/)
      assert.match(html, /MISSES/)
      assert.match(html, /1 of 2 bars met/)
    })

    it('records the load average at the start and end of each section', () => {
      assert.match(html, /6\.18 \/ 4\.89 \/ 4\.32/)
      assert.match(html, /5\.5 \/ 4\.9 \/ 4\.4/)
    })

    it('leaves a placeholder for the scale curve', () => {
      assert.match(html, /id="scale-placeholder"/)
    })

    it('escapes names and stays self-contained: no script, nothing fetched', () => {
      assert.match(html, /&lt;rt-task-board&gt; first render/)
      assert.match(html, /context &amp; more/)
      assert.doesNotMatch(html, /<script|<link|src=|https?:\/\//i)
    })
  })

  describe('given a scale curve', () => {
    const scaleFigures: BenchResults['figures'] = [
      { id: 'scale.socketKB', group: '9 scale', name: 'memory per socket', value: 14, limit: 20, unit: 'KB', bar: '≤ 20', meets: true },
      {
        id: 'scale.p99',
        group: '9 scale',
        name: 'p99',
        value: 90,
        limit: 114.4,
        unit: 'ms',
        bar: '≤ 4 × baseline.deepstream p99 (114.4)',
        meets: true,
      },
    ]
    const html = renderReport({
      ...results,
      figures: [...results.figures, ...scaleFigures],
      scale: [
        { sockets: 1000, socketKB: 12, p99: 30, cpu: 20, machineIdle: 61 },
        { sockets: 18000, socketKB: 14, p99: 90, cpu: 85, machineIdle: 3 },
      ],
    })
    const curves = html.slice(html.indexOf('<h2>Scale</h2>'), html.indexOf('<h2>Every figure</h2>'))

    it('draws N against KB per socket, p99, server CPU and the machine’s idle time instead of the placeholder', () => {
      assert.doesNotMatch(html, /scale-placeholder/)
      assert.match(curves, /KB per socket by sockets/)
      assert.match(curves, /p99, ms by sockets/)
      assert.match(curves, /server CPU, % of one core by sockets/)
      assert.match(curves, /machine idle, % of all cores by sockets/)
      assert.match(curves, />61<\/text>/)
      assert.match(curves, />18000<\/text>/)
      assert.match(curves, />85<\/text>/)
    })

    it('draws each curve’s bar from the same run’s figure', () => {
      assert.match(curves, /bar ≤ 20</)
      assert.match(curves, /bar ≤ 114\.4</)
    })

    it('leaves the CPU curve out when a point has no CPU', () => {
      const without = renderReport({ ...results, scale: [{ sockets: 1000, socketKB: 12, p99: 30 }] })
      const withoutCurves = without.slice(without.indexOf('<h2>Scale</h2>'), without.indexOf('<h2>Every figure</h2>'))
      assert.doesNotMatch(withoutCurves, /server CPU/)
      assert.doesNotMatch(withoutCurves, /machine idle/)
      assert.doesNotMatch(withoutCurves, /bar ≤/)
      assert.doesNotMatch(without, /<script|<link|src=|https?:\/\//i)
    })
  })

  it('marks a figure that failed to measure instead of drawing it', () => {
    const html = renderReport({
      ...results,
      figures: [{ group: 'listing', name: 'failed to measure', value: Number.NaN, unit: '', bar: '', meets: false }],
    })
    assert.match(html, /not measured/)
    assert.equal(html.match(/<svg /g), null)
  })
})
