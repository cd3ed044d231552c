import { fork } from 'node:child_process'
import type { TestStack } from '../../server/testing/test-stack.ts'
import { pairedRatioBar, percentile, round, summarize, type Figure } from '../stats.ts'
import { DEMO_PASSWORD } from '../../server/db/seed.ts'

/**
 * Rounds, each one block of sign-ins with the flood paused and one with it
 * running. Measured in two blocks, idle first and then flooded, the ratio
 * swung with the idle block alone: its median was 46.7–63.7 ms over eight
 * runs of one hour, as a fresh process or a burst on this machine runs at
 * one of two speeds (see `pairedRatioBar`).
 */
const ROUNDS = 7
const PER_ROUND = 7
const FLOOD = 32
/** How long the flood runs before a flooded block: its 32 loops are all under way within milliseconds. */
const BUILD_UP_MS = 500

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Bob signing in, one attempt after another: the legitimate user's view. */
async function timedLogins(stack: TestStack, count: number): Promise<number[]> {
  const latencies: number[] = []
  for (let i = 0; i < count; i++) {
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
 * sign-in with the flood paused, round by round in the same run. Throttling
 * answers the flood with 429 before hashing, so the password hashing others
 * need is not starved.
 */
export async function loginUnderFlood(stack: TestStack): Promise<Figure[]> {
  await timedLogins(stack, 10) // warm-up
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
  const idle: number[] = []
  const flooded: number[] = []
  const idleRounds: number[] = []
  const floodedRounds: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const paused = next('paused')
    child.send({ type: 'pause' })
    await paused // every flood request answered
    const calm = await timedLogins(stack, PER_ROUND)
    child.send({ type: 'resume' })
    await sleep(BUILD_UP_MS)
    const busy = await timedLogins(stack, PER_ROUND)
    idle.push(...calm)
    flooded.push(...busy)
    idleRounds.push(percentile(calm, 50))
    floodedRounds.push(percentile(busy, 50))
  }
  const done = next('result')
  child.send({ type: 'stop' })
  const { answers = {} } = await done

  const { rounds, ...bar } = pairedRatioBar(floodedRounds, idleRounds, 'auth.loginIdle', 2)
  const floodedAll = summarize(flooded)
  const idleAll = summarize(idle)
  const group = '8 sign-in under a flood'
  const answered = Object.entries(answers)
    .map(([status, count]) => `${count} × ${status}`)
    .join(', ')
  return [
    {
      id: 'auth.loginUnderFlood',
      group,
      name: `a user's sign-in while ${FLOOD} clients try wrong passwords for another`,
      // The median of the rounds' medians, which the bar's line (`limit`) is drawn for.
      value: round(percentile(floodedRounds, 50)),
      p99: round(floodedAll.p99),
      ...bar,
      p99Ratio: round(floodedAll.p99 / idleAll.p99),
      unit: 'ms',
      bar: `p50 ≤ 2 × idle p50, round by round (median of ${ROUNDS} rounds' ratios)`,
      samples: floodedAll.samples,
      note: `rounds' ratios ${rounds.join(', ')}; the flood was answered ${answered}`,
    },
    {
      id: 'auth.loginIdle',
      group,
      name: 'baseline: the same sign-in, flood paused (this run, in turn)',
      value: bar.baseline!,
      p99: round(idleAll.p99),
      unit: 'ms',
      bar: 'baseline',
      samples: idleAll.samples,
    },
  ]
}
