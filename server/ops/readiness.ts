/** What one check says: the part can serve, or not yet (or no longer). */
export const CheckState = { ok: 'ok', waiting: 'waiting' } as const
export type CheckState = (typeof CheckState)[keyof typeof CheckState]

/** One part's readiness: `database`, `realtime`, `bridge`. A throw counts as `waiting`. */
export interface ReadinessCheck {
  readonly name: string
  ready(): boolean | Promise<boolean>
}

/** What `GET /ready` answers, 200 when `ready`, 503 otherwise. */
export interface ReadinessReport {
  ready: boolean
  /** `starting` until every part has started, `draining` once stopping began. */
  status: 'ready' | 'starting' | 'unready' | 'draining'
  checks: Record<string, CheckState>
}

/** How long one check may take before it counts as `waiting` (a balancer checks every half second). */
const CHECK_TIMEOUT_MS = 1_000

/**
 * Whether a server process can serve: every check of the parts it runs
 * holds, it has started, and it is not stopping. `GET /ready` reports it;
 * `GET /health` (liveness) does not look at it.
 *
 * @example
 * const readiness = new Readiness()
 * readiness.add({ name: 'realtime', ready: () => realtime.running })
 * readiness.started()
 * process.once('SIGTERM', () => readiness.drain())
 */
export class Readiness {
  readonly #checks: ReadinessCheck[] = []
  #started = false
  #draining = false

  /** Adds one part's check. */
  add(check: ReadinessCheck): void {
    this.#checks.push(check)
  }

  /** Every part has started; until then the process answers `starting`. */
  started(): void {
    this.#started = true
  }

  /** Stopping has begun: 503 from now on, whatever the checks say. */
  drain(): void {
    this.#draining = true
  }

  get draining(): boolean {
    return this.#draining
  }

  /** Runs every check (concurrently, each bounded) and says whether the process can serve. */
  async report(): Promise<ReadinessReport> {
    const states = await Promise.all(this.#checks.map((check) => bounded(check)))
    const checks = Object.fromEntries(this.#checks.map((check, index) => [check.name, states[index]!]))
    const allOk = states.every((state) => state === CheckState.ok)
    const status = this.#draining ? 'draining' : !this.#started ? 'starting' : allOk ? 'ready' : 'unready'
    return { ready: status === 'ready', status, checks }
  }
}

async function bounded(check: ReadinessCheck): Promise<CheckState> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS)
  })
  try {
    return (await Promise.race([Promise.resolve().then(() => check.ready()), timeout])) ? CheckState.ok : CheckState.waiting
  } catch {
    return CheckState.waiting
  } finally {
    clearTimeout(timer)
  }
}
