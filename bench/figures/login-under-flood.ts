import { fork } from 'node:child_process'
import type { TestStack } from '../../server/testing/test-stack.ts'
import { round, summarize, type Figure } from '../stats.ts'
import { DEMO_PASSWORD } from '../../server/db/seed.ts'

const SAMPLES = 30
const FLOOD = 32

/** Bob signing in, one attempt after another: the legitimate user's view. */
async function timedLogins(stack: TestStack): Promise<number[]> {
  const latencies: number[] = []
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now()
    const response = await stack.api('POST', '/auth/login', { body: { username: 'bob', password: DEMO_PASSWORD } })
    if (response.status !== 200) throw new Error(`bob's sign-in answered ${response.status}`)
    latencies.push(performance.now() - started)
  }
  return latencies
}

/**
 * Figure 8: a legitimate user's sign-in while 32 concurrent clients (in a
 * separate process) try wrong passwords for another user, beside the same
 * sign-in on an idle server, measured in the same run. Throttling answers
 * the flood with 429 before hashing, so the password hashing others need is
 * not starved.
 */
export async function loginUnderFlood(stack: TestStack): Promise<Figure[]> {
  await timedLogins(stack) // warm-up
  const idle = summarize(await timedLogins(stack))
  const child = fork(new URL('../clients/login-flood.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, API_URL: stack.apiUrl, USERNAME: 'alice', CONCURRENCY: String(FLOOD), MAX_MS: '120000' },
  })
  const messages = new Map<string, (message: { answers?: Record<string, number> }) => void>()
  const next = (type: string) =>
    new Promise<{ answers?: Record<string, number> }>((resolve, reject) => {
      const timer = setTimeout(() => (child.kill(), reject(new Error(`the flood sent no "${type}" within 150 s`))), 150_000)
      messages.set(type, (message) => (clearTimeout(timer), resolve(message)))
    })
  child.on('message', (message: { type: string; answers?: Record<string, number> }) => messages.get(message.type)?.(message))
  await next('started')
  await new Promise((resolve) => setTimeout(resolve, 1_000)) // let the flood build up
  const flooded = summarize(await timedLogins(stack))
  const done = next('result')
  child.send({ type: 'stop' })
  const { answers = {} } = await done

  const group = '8 sign-in under a flood'
  const answered = Object.entries(answers)
    .map(([status, count]) => `${count} × ${status}`)
    .join(', ')
  return [
    {
      id: 'auth.loginUnderFlood',
      group,
      name: `a user's sign-in while ${FLOOD} clients try wrong passwords for another`,
      value: round(flooded.median),
      p99: round(flooded.p99),
      baseline: round(idle.median),
      baselineId: 'auth.loginIdle',
      ratio: round(flooded.median / idle.median),
      p99Ratio: round(flooded.p99 / idle.p99),
      barRatio: 2,
      limit: round(2 * idle.median),
      unit: 'ms',
      bar: 'p50 ≤ 2 × idle p50',
      meets: flooded.median <= 2 * idle.median,
      samples: flooded.samples,
      note: `the flood was answered ${answered}`,
    },
    {
      id: 'auth.loginIdle',
      group,
      name: 'baseline: the same sign-in, idle server (this run)',
      value: round(idle.median),
      p99: round(idle.p99),
      unit: 'ms',
      bar: 'baseline',
      samples: idle.samples,
    },
  ]
}
