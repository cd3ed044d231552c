import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildLambdas } from '../../scripts/build-lambdas.ts'
import { pairedRatioBar, round, summarize, type Figure } from '../stats.ts'
import { DEMO_PASSWORD } from '../../server/db/seed.ts'

/**
 * Rounds: each probes the empty module and then every handler once. Eleven,
 * not seven: the median of the rounds' ratios steadies with more of them
 * (see `pairedRatioBar`), at about 2 s a round.
 */
const RUNS = 11
/** DESIGN.md: the slowest handler initialises in at most 4 × the empty module. */
const BAR_RATIO = 4

// Runs in a fresh Node process: import the bundle, invoke it once with a
// minimal API Gateway v2 event, print the two timings as JSON.
const PROBE = `
const t0 = performance.now();
const mod = await import(process.env.BUNDLE);
const t1 = performance.now();
const event = JSON.parse(process.env.EVENT);
const context = { awsRequestId: 'bench', getRemainingTimeInMillis: () => 10000 };
const result = await mod.handler(event, context);
const t2 = performance.now();
console.log(JSON.stringify({ init: t1 - t0, firstResponse: t2 - t0, status: result.statusCode }));
process.exit(0);
`

function probe(bundle: string, event: object, env: NodeJS.ProcessEnv): Promise<{ init: number; firstResponse: number; status: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', PROBE], {
      env: { ...env, BUNDLE: bundle, EVENT: JSON.stringify(event) },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (chunk) => (out += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.on('close', () => {
      clearTimeout(timer)
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? ''))
      } catch {
        reject(new Error(`cold-start probe of ${bundle} printed ${out}`))
      }
    })
  })
}

function eventFor(name: string, token: string): object {
  const base = {
    version: '2.0',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    requestContext: { requestId: 'bench', http: { method: 'GET', path: '/' } },
    isBase64Encoded: false,
  }
  switch (name) {
    case 'auth-login':
      return { ...base, body: JSON.stringify({ username: 'alice', password: DEMO_PASSWORD }) }
    case 'auth-register':
      return { ...base, body: JSON.stringify({ username: 'x', password: 'short', name: '' }) }
    case 'users-profiles':
      return { ...base, queryStringParameters: { ids: '00000000-0000-4000-8000-000000000b0b' } }
    case 'collections-list':
      return { ...base, pathParameters: { name: 'tasks' }, queryStringParameters: { board: 'launch' } }
    case 'collections-create':
    case 'collections-update':
    case 'collections-remove':
      // A request the handler rejects after auth and validation: a full
      // initialisation without changing the benchmark's data.
      return { ...base, pathParameters: { name: 'tasks', id: 'not-a-uuid' }, body: '{}' }
    default:
      return base
  }
}

/**
 * Figure 6: each handler bundle's size (what its import loads, and with the
 * driver chunk loaded on first use), and the time from a fresh Node process
 * importing it to its first response (against the running database). The
 * baseline, an empty handler module, is probed the same way in turn with the
 * handlers: every round probes it and then each handler once, so a burst of
 * load on the machine lands on both, and each bar is judged on the median of
 * the rounds' own ratios (`pairedRatioBar`).
 */
export async function coldStart(root: string, databaseUrl: string, signIn: () => Promise<string>, jwtSecret: string): Promise<Figure[]> {
  const token = await signIn()
  const bundles = await buildLambdas(root)
  // The running stack's key, so the token is accepted and the first response does a request's real work.
  const env = { ...process.env, RTKIT_ENV: 'test', RTKIT_RETHINKDB_URL: databaseUrl, RTKIT_JWT_SECRET: jwtSecret }
  const group = '6 cold start'

  // Baseline: the same probe on a handler that does nothing, i.e. Node's own
  // floor for a fresh process importing an ES module on this machine.
  const dir = mkdtempSync(join(tmpdir(), 'rtkit-bench-'))
  const empty = join(dir, 'empty.mjs')
  writeFileSync(empty, 'export const handler = async () => ({ statusCode: 200, body: "{}" })\n')
  const floor: number[] = []
  const runs = new Map(bundles.map(({ name }) => [name, { inits: [] as number[], firsts: [] as number[], status: 0 }]))
  try {
    for (let i = 0; i < RUNS; i++) {
      floor.push((await probe(empty, {}, env)).init)
      for (const { name, file: bundle } of bundles) {
        const run = runs.get(name)!
        // A logout revokes the token it is given: each gets one of its own.
        const result = await probe(bundle, eventFor(name, name === 'auth-logout' ? await signIn() : token), env)
        run.inits.push(result.init)
        run.firsts.push(result.firstResponse)
        run.status = result.status
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  const base = { id: 'cold.baseline', ...summarize(floor) }
  const figures: Figure[] = [
    {
      id: 'cold.baseline',
      group,
      name: 'baseline: empty handler module',
      value: round(base.median, 1),
      p99: round(base.p99, 1),
      unit: 'ms',
      bar: 'baseline',
      samples: base.samples,
    },
  ]

  const handlers: Array<{ name: string; init: ReturnType<typeof summarize>; bar: ReturnType<typeof pairedRatioBar> }> = []
  for (const { name, initBytes, totalBytes } of bundles) {
    const run = runs.get(name)!
    const init = summarize(run.inits)
    const first = summarize(run.firsts)
    const bar = pairedRatioBar(run.inits, floor, 'cold.baseline', BAR_RATIO, { digits: 1 })
    handlers.push({ name, init, bar })
    const { rounds: _, ...fields } = bar
    figures.push({
      id: `cold.${name}`,
      group,
      name: `${name} init (import)`,
      value: round(init.median, 1),
      p99: round(init.p99, 1),
      unit: 'ms',
      ...fields,
      samples: init.samples,
      note: `loads ${round(initBytes / 1024, 0)} KB at init, ${round(totalBytes / 1024, 0)} KB with the driver; first response median ${round(first.median, 1)} ms, p99 ${round(first.p99, 1)} ms (status ${run.status})`,
    })
  }
  // The slowest is the one nearest its bar: the highest ratio to the empty module.
  const slowest = handlers.reduce((a, b) => ((b.bar.ratio ?? 0) > (a.bar.ratio ?? 0) ? b : a))
  const { rounds, ...fields } = slowest.bar
  figures.push({
    id: 'cold.init',
    group,
    name: `slowest handler's init (${slowest.name})`,
    value: round(slowest.init.median, 1),
    p99: round(slowest.init.p99, 1),
    unit: 'ms',
    ...fields,
    samples: slowest.init.samples,
    note: `${round(slowest.init.median - base.median, 1)} ms more than the empty module (medians); round by round ${rounds.join(', ')}×`,
  })
  return figures
}
