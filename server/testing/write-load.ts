import { randomUUID } from 'node:crypto'

/**
 * A bounded write load for fault tests: writers that insert, rename and
 * delete tasks through the HTTP API and retry every write that was not
 * answered (503, or no answer at all) until it is, the way the client's
 * command queue does. It records, per task, the last write the server
 * acknowledged, so a test can check that every acknowledged write survived.
 */
export interface WriteLoadOptions {
  apiUrl: string
  token: string
  board: string
  writers: number
  /** Tasks per writer; each is inserted, renamed, and every third one deleted. */
  tasksPerWriter: number
  /** Bound on the whole load; writes still unanswered then fail the load. */
  deadlineMs: number
}

/** What the server acknowledged last for one task. */
export type Acknowledged = { state: 'inserted'; title: string } | { state: 'renamed'; title: string } | { state: 'deleted' }

export interface WriteLoad {
  /** Acknowledged writes so far (fault tests strike once enough have happened). */
  readonly acknowledged: () => number
  /** Answers by HTTP status (0: no answer), retries included. */
  readonly statuses: Map<number, number>
  /** Settles when every write has been acknowledged, with the last acknowledged state of each task. */
  readonly done: Promise<Map<string, Acknowledged>>
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export function startWriteLoad(options: WriteLoadOptions): WriteLoad {
  const deadline = Date.now() + options.deadlineMs
  const statuses = new Map<number, number>()
  const last = new Map<string, Acknowledged>()
  let acknowledged = 0

  /** Sends until answered; `accept` says whether an answer acknowledges the write. */
  async function until(method: string, path: string, body: unknown, accept: (status: number, body: any) => boolean): Promise<void> {
    for (;;) {
      if (Date.now() > deadline) throw new Error(`${method} ${path} still unanswered at the load's deadline`)
      let status: number
      let answer: any
      try {
        const response = await fetch(options.apiUrl + path, {
          method,
          headers: { authorization: `Bearer ${options.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(5_000),
        })
        status = response.status
        answer = await response.json().catch(() => undefined)
      } catch {
        status = 0
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1)
      if (accept(status, answer)) {
        acknowledged++
        return
      }
      if (status !== 0 && status !== 503) throw new Error(`${method} ${path} answered ${status}: ${JSON.stringify(answer)}`)
      await sleep(50)
    }
  }

  async function writer(index: number): Promise<void> {
    for (let i = 0; i < options.tasksPerWriter; i++) {
      const id = randomUUID()
      const title = `w${index}-${i}`
      // A retried insert whose first attempt was applied answers 200 with the stored task.
      await until(
        'POST',
        '/collections/tasks',
        { id, board: options.board, title, status: 'todo', order: i },
        (s) => s === 201 || s === 200,
      )
      last.set(id, { state: 'inserted', title })
      const renamed = `${title} renamed`
      // A retried rename whose first attempt was applied answers 409 with our own write as current.
      await until(
        'PATCH',
        `/collections/tasks/${id}`,
        { expectedVersion: 1, title: renamed },
        (s, b) => s === 200 || (s === 409 && b?.error?.details?.current?.title === renamed && b.error.details.current.version === 2),
      )
      last.set(id, { state: 'renamed', title: renamed })
      if (i % 3 === 2) {
        // A retried delete whose first attempt was applied answers 404.
        await until('DELETE', `/collections/tasks/${id}`, undefined, (s) => s === 200 || s === 404)
        last.set(id, { state: 'deleted' })
      }
    }
  }

  const done = Promise.all(Array.from({ length: options.writers }, (_, index) => writer(index))).then(() => last)
  return { acknowledged: () => acknowledged, statuses, done }
}

/** The acknowledged writes missing from `rows` (the board's raw rows, tombstones included). */
export function lostWrites(acknowledged: Map<string, Acknowledged>, rows: readonly any[]): string[] {
  const byId = new Map(rows.map((row) => [row.id as string, row]))
  const lost: string[] = []
  for (const [id, ack] of acknowledged) {
    const row = byId.get(id)
    const kept =
      ack.state === 'deleted'
        ? row?.tombstone === true
        : row !== undefined && row.tombstone === undefined && row.title === ack.title && row.version === (ack.state === 'renamed' ? 2 : 1)
    if (!kept) lost.push(`${id} (${ack.state}${ack.state === 'deleted' ? '' : ` "${ack.title}"`}): found ${JSON.stringify(row ?? null)}`)
  }
  return lost
}

/** Polls `check` every 20 ms until it holds; fails after `timeoutMs`. */
export async function eventually(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}
