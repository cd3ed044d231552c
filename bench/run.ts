import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { startTestStack } from '../server/testing/test-stack.ts'
import { bundleSize } from './figures/bundle-size.ts'
import { clusterFigures } from './figures/cluster.ts'
import { coldStart } from './figures/cold-start.ts'
import { fanout } from './figures/fanout.ts'
import { listUnderLoad } from './figures/list-under-load.ts'
import { loginUnderFlood } from './figures/login-under-flood.ts'
import { realtimeCustom, realtimeLatency } from './figures/realtime-latency.ts'
import { realtimePath } from './figures/realtime-path.ts'
import { render } from './figures/render.ts'
import { servicesPipeline } from './figures/services-pipeline.ts'
import { writeThroughput } from './figures/write-throughput.ts'
import { scale } from './figures/scale.ts'
import { renderReport } from './report.ts'
import type { BenchResults, LoadAverage, ScalePoint, SectionRun } from './results.ts'
import { round, type Figure } from './stats.ts'

/**
 * `npm run bench`: starts the server's stack from the sources on the
 * embedded default (the render figure loads the built kit: `npm run build`
 * first; the cold-start figure bundles the handlers itself), runs bounded
 * loads on loopback, stops everything, prints a table of figures beside the
 * design's bars, writes bench/results.json (with the load average around
 * each section) and draws it in bench/report.html. Benchmarks report; they
 * never fail on a slow machine.
 */
const root = new URL('..', import.meta.url).pathname

function table(figures: Figure[]): string {
  const rows = figures.map((f) => [
    f.group,
    f.name,
    `${f.value}${f.p99 !== undefined ? ` (p99 ${f.p99})` : ''} ${f.unit}`,
    f.bar,
    f.ratio !== undefined ? `${f.ratio}×${f.p99Ratio !== undefined ? ` (p99 ${f.p99Ratio}×)` : ''}` : '',
    f.meets === undefined ? '' : f.meets ? 'meets' : 'MISSES',
    f.note ?? '',
  ])
  const header = ['figure', 'measure', 'value (median)', 'bar', 'ratio', '', 'notes']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => String(c).padEnd(widths[i] as number))
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

const load = (): LoadAverage => loadavg().map((n) => round(n)) as LoadAverage

async function main(): Promise<void> {
  const figures: Figure[] = []
  const ran: SectionRun[] = []
  let scaleCurve: ScalePoint[] | undefined
  // The built-ins plus one operator-declared collection (realtime.custom).
  const stack = await startTestStack({ RTKIT_CONFIG: new URL('./rtkit.config.mjs', import.meta.url).pathname })
  try {
    const sections: Array<[string, () => Promise<Figure[]>]> = [
      ['realtime', () => realtimeLatency(stack)],
      ['realtime custom', () => realtimeCustom(stack)],
      ['realtime path', () => realtimePath(stack)],
      ['fan-out', () => fanout(stack)],
      ['write throughput', () => writeThroughput(stack)],
      ['listing', () => listUnderLoad(stack)],
      ['services', () => servicesPipeline()],
      ['bundle size', () => bundleSize(root)],
      ['render', () => render(stack, root)],
      ['cold start', () => coldStart(root, stack.databaseUrl, async () => (await stack.login('alice')).token, stack.config.jwt.signingKey)],
      // Its own cluster (two node processes, redis-server, HAProxy), beside the stack above.
      ['cluster', () => clusterFigures()],
      // Its own node process and client processes; after realtime, whose baseline.deepstream p99 it takes.
      [
        'scale',
        async () => {
          const { figures: measured, points } = await scale(figures)
          scaleCurve = points
          return measured
        },
      ],
      // Last: the flood leaves alice's sign-in blocked for a while.
      ['sign-in', () => loginUnderFlood(stack)],
    ]
    const only = process.argv.slice(2)
    for (const [name, run] of sections) {
      if (only.length && !only.includes(name)) continue
      process.stderr.write(`bench: ${name}…\n`)
      const start = load()
      const started = performance.now()
      try {
        figures.push(...(await run()).map((figure) => ({ ...figure, section: name })))
      } catch (error) {
        figures.push({
          group: name,
          name: 'failed to measure',
          value: Number.NaN,
          unit: '',
          bar: '',
          meets: false,
          note: String(error),
          section: name,
        })
      }
      ran.push({ name, seconds: round((performance.now() - started) / 1000, 1), loadavg: { start, end: load() } })
    }
  } finally {
    await stack.close()
  }
  console.log(table(figures))
  console.log(`\nload average (1 / 5 / 15 min) on ${cpus().length} CPUs, at the start and end of each section:`)
  for (const { name, loadavg } of ran) console.log(`  ${name}: ${loadavg.start.join(' / ')} → ${loadavg.end.join(' / ')}`)
  mkdirSync(join(root, 'bench'), { recursive: true })
  const results: BenchResults = {
    at: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    sections: ran,
    figures,
    scale: scaleCurve,
  }
  writeFileSync(join(root, 'bench', 'results.json'), JSON.stringify(results, null, 2))
  writeFileSync(join(root, 'bench', 'report.html'), renderReport(results))
  console.log('\nwritten to bench/results.json and bench/report.html')
}

await main()
