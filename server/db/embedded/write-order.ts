import { termTypes, type Term } from './reqlite.ts'

/**
 * Runs the embedded database's write queries one at a time per table.
 *
 * reqlite evaluates a write's function (`get(id).update(row => r.branch(…))`)
 * through promises: it reads the row, yields, and applies the result later.
 * Two queries on one row interleaved, so both read version n and both wrote
 * n + 1 — a conditional write was not atomic, and concurrent writers holding
 * the same version were all told they won. A real RethinkDB makes each
 * single-document write atomic; here every query that writes waits for the
 * previous writes to the tables it names to be answered. The order is kept
 * in the database, so it holds for every connection and every process that
 * shares it (the gateways of a local cluster). Reads are not held up: each
 * reads a row as a whole, between two writes.
 */

const WRITE_TERMS = new Set([termTypes.INSERT, termTypes.UPDATE, termTypes.REPLACE, termTypes.DELETE])

/**
 * The tables a query writes: `undefined` when it writes nothing, `'all'`
 * when a written table's name is computed (ordered after every write then).
 */
export function writtenTables(query: Term): Set<string> | 'all' | undefined {
  let writes = false
  let computed = false
  const tables = new Set<string>()
  const visit = (term: Term): void => {
    if (Array.isArray(term)) {
      // On the wire every array is a term, [type, args, optargs]; a datum array is MAKE_ARRAY's args.
      const [type, args, optargs] = term as [unknown, unknown, unknown]
      if (WRITE_TERMS.has(type as number)) writes = true
      if (type === termTypes.TABLE && Array.isArray(args)) {
        const name = args.at(-1)
        if (typeof name === 'string') tables.add(name)
        else computed = true
      }
      if (Array.isArray(args)) args.forEach(visit)
      if (optargs && typeof optargs === 'object') Object.values(optargs).forEach(visit)
    } else if (term && typeof term === 'object') {
      Object.values(term).forEach(visit)
    }
  }
  visit(query)
  if (!writes) return undefined
  return computed || tables.size === 0 ? 'all' : tables
}

/** Queues of write queries, by table, for one database server. */
export class WriteOrder {
  /** The last write queued on each table, settled when it has been answered. */
  #tails = new Map<string, Promise<void>>()
  /** The last write queued on every table. */
  #all: Promise<void> = Promise.resolve()

  /** Runs `write` after every earlier write to `tables`; the next ones wait for it. */
  run<T>(tables: Set<string> | 'all', write: () => Promise<T>): Promise<T> {
    const before = tables === 'all' ? [this.#all, ...this.#tails.values()] : [this.#all, ...[...tables].map((t) => this.#tails.get(t))]
    const result = Promise.all(before).then(write)
    const done = result.then(
      () => undefined,
      () => undefined,
    )
    if (tables === 'all') {
      this.#all = done
      this.#tails.clear() // each of them is settled before `done` is
    } else {
      for (const table of tables) this.#tails.set(table, done)
    }
    void done.then(() => {
      if (tables === 'all') return
      for (const table of tables) if (this.#tails.get(table) === done) this.#tails.delete(table)
    })
    return result
  }
}
