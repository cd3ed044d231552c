import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startTestStack } from '../server/testing/test-stack.ts'
import { bundleSize } from './figures/bundle-size.ts'
import { clusterFigures } from './figures/cluster.ts'
import { coldStart } from './figures/cold-start.ts'
import { fanout } from './figures/fanout.ts'
import { listUnderLoad } from './figures/list-under-load.ts'
import { loginUnderFlood } from './figures/login-under-flood.ts'
import { realtimeLatency } from './figures/realtime-latency.ts'
import { realtimePath } from './figures/realtime-path.ts'
import { render } from './figures/render.ts'
import { servicesPipeline } from './figures/services-pipeline.ts'
import { writeThroughput } from './figures/write-throughput.ts'
import type { Figure } from './stats.ts'

/**
 * `npm run bench`: starts the bundled server on the embedded default, runs
 * bounded loads on loopback, stops everything, prints a table of figures
 * beside the design's bars and writes bench/results.json.
 * Benchmarks report; they never fail on a slow machine.
 */
const root = new URL('..', import.meta.url).pathname

function table(figures: Figure[]): string {
  const rows = figures.map((f) => [
    f.group,
    f.name,
    `${f.value}${f.p99 !== undefined ? ` (p99 ${f.p99})` : ''} ${f.unit}`,
    f.bar,
    f.meets === undefined ? '' : f.meets ? 'meets' : 'MISSES',
    f.note ?? '',
  ])
  const header = ['figure', 'measure', 'value (median)', 'bar', '', 'notes']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => String(c).padEnd(widths[i] as number))
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

async function main(): Promise<void> {
  const figures: Figure[] = []
  const stack = await startTestStack()
  try {
    const sections: Array<[string, () => Promise<Figure[]>]> = [
      ['realtime', () => realtimeLatency(stack)],
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
      // Last: the flood leaves alice's sign-in blocked for a while.
      ['sign-in', () => loginUnderFlood(stack)],
    ]
    const only = process.argv.slice(2)
    for (const [name, run] of sections) {
      if (only.length && !only.includes(name)) continue
      process.stderr.write(`bench: ${name}…\n`)
      try {
        figures.push(...(await run()))
      } catch (error) {
        figures.push({ group: name, name: 'failed to measure', value: Number.NaN, unit: '', bar: '', meets: false, note: String(error) })
      }
    }
  } finally {
    await stack.close()
  }
  console.log(table(figures))
  mkdirSync(join(root, 'bench'), { recursive: true })
  const results = { at: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length, figures }
  writeFileSync(join(root, 'bench', 'results.json'), JSON.stringify(results, null, 2))
  console.log('\nwritten to bench/results.json')
}

await main()
