import { QueryPrototype, Selection, termTypes, util, type Query, type ReqliteDocument, type Table, type Term } from './reqlite.ts'

/**
 * Real ordered secondary indexes for the embedded engine's paging query.
 *
 * reqlite evaluates `between` and `orderBy({ index })` by scanning every row
 * of the table and evaluating the index function per row through promises,
 * so a page of a large partition costs O(table) and blocks the event loop.
 * This keeps, per table and index, the rows sorted by index key (updated
 * synchronously from the table's `change` event) and answers exactly
 *
 *   table.between(left, right, { index }).orderBy({ index }).limit(n)
 *
 * by binary search: O(log rows + n). Any other query shape, a descending
 * order, or an index that is not a plain field or list of fields goes down
 * reqlite's own path, with the same results. A real RethinkDB does this
 * natively; this only makes the development default behave alike.
 */

type Key = unknown
interface Entry {
  key: Key
  pk: unknown
  doc: ReqliteDocument
}
interface Change {
  old_val: Record<string, unknown> | null
  new_val: Record<string, unknown> | null
}

/** RethinkDB's order: element by element for arrays, reqlite's own comparison otherwise. */
function compare(a: Key, b: Key): number {
  // The common cases first, as reqlite orders them: strings and numbers among themselves.
  if ((typeof a === 'string' && typeof b === 'string') || (typeof a === 'number' && typeof b === 'number')) {
    return a < b ? -1 : a > b ? 1 : 0
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const order = compare(a[i], b[i])
      if (order !== 0) return order
    }
    return Math.sign(a.length - b.length)
  }
  if (util.eq(a, b)) return 0
  return util.lt(a, b) ? -1 : 1
}

/** The fields an index function reads: `row => row('f')` or `row => [row('f'), row('g')]`; else `undefined`. */
export function indexFields(fn: Term): { fields: string[]; compound: boolean } | undefined {
  if (!Array.isArray(fn) || fn[0] !== termTypes.FUNC) return undefined
  const [params, body] = (fn[1] ?? []) as [Term, Term]
  const variables = Array.isArray(params) && Array.isArray(params[1]) ? (params[1] as unknown[]) : []
  if (variables.length !== 1) return undefined
  const field = (term: Term): string | undefined => {
    if (!Array.isArray(term) || (term[0] !== termTypes.BRACKET && term[0] !== termTypes.GET_FIELD)) return undefined
    const [source, name] = term[1] as [Term, Term]
    const isVariable = Array.isArray(source) && source[0] === termTypes.VAR && (source[1] as unknown[])[0] === variables[0]
    return isVariable && typeof name === 'string' ? name : undefined
  }
  const single = field(body)
  if (single !== undefined) return { fields: [single], compound: false }
  if (!Array.isArray(body) || body[0] !== termTypes.MAKE_ARRAY) return undefined
  const fields = (body[1] as Term[]).map(field)
  return fields.length > 0 && fields.every((name) => name !== undefined) ? { fields: fields as string[], compound: true } : undefined
}

const isScalar = (value: unknown) => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
/** Whether every field of a row is a plain value (then it is its own datum). */
function isFlat(row: Record<string, unknown>): boolean {
  for (const key in row) {
    const value = row[key]
    if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return false
  }
  return true
}

class OrderedIndex {
  readonly entries: Entry[] = []
  /** Set when a row holds a key this index cannot order (an object or array field): reqlite's path then answers. */
  unusable = false
  readonly #listener = (change: Change) => this.#apply(change)

  constructor(
    private readonly table: Table,
    readonly fn: Term,
    private readonly shape: { fields: string[]; compound: boolean },
  ) {
    const pk = table.options.primaryKey
    for (const doc of Object.values(table.documents)) {
      const key = this.#keyOf(doc.doc)
      if (key !== undefined) this.entries.push({ key, pk: doc.doc[pk], doc })
    }
    this.entries.sort((a, b) => compare(a.key, b.key) || compare(a.pk, b.pk))
    table.on('change', this.#listener)
  }

  detach(): void {
    this.table.off('change', this.#listener)
  }

  /** The row's key; `undefined` when the row is not in the index (a missing or null field, as in RethinkDB). */
  #keyOf(row: Record<string, unknown>): Key | undefined {
    const parts = this.shape.fields.map((field) => row[field])
    if (parts.some((part) => part === undefined || part === null)) return undefined
    if (!parts.every(isScalar)) {
      this.unusable = true
      return undefined
    }
    return this.shape.compound ? parts : parts[0]
  }

  /** First position whose entry sorts at or after (`after`: strictly after) `bound`. */
  lowerBound(bound: Key, after: boolean): number {
    let low = 0
    let high = this.entries.length
    while (low < high) {
      const middle = (low + high) >>> 1
      const order = compare(this.entries[middle]!.key, bound)
      if (order < 0 || (after && order === 0)) low = middle + 1
      else high = middle
    }
    return low
  }

  #position(key: Key, pk: unknown): number {
    let low = 0
    let high = this.entries.length
    while (low < high) {
      const middle = (low + high) >>> 1
      const entry = this.entries[middle]!
      if ((compare(entry.key, key) || compare(entry.pk, pk)) < 0) low = middle + 1
      else high = middle
    }
    return low
  }

  #apply(change: Change): void {
    const pk = this.table.options.primaryKey
    if (change.old_val) {
      const key = this.#keyOf(change.old_val)
      if (key !== undefined) {
        const at = this.#position(key, change.old_val[pk])
        const entry = this.entries[at]
        if (entry && compare(entry.key, key) === 0 && compare(entry.pk, change.old_val[pk]) === 0) this.entries.splice(at, 1)
      }
    }
    if (change.new_val) {
      const key = this.#keyOf(change.new_val)
      const doc = this.table.documents[util.makeInternalPk(change.new_val[pk])]
      if (key !== undefined && doc) this.entries.splice(this.#position(key, change.new_val[pk]), 0, { key, pk: change.new_val[pk], doc })
    }
  }
}

const indexes = new WeakMap<Table, Map<string, OrderedIndex>>()

/** The ordered index `name` of `table`, built on first use and rebuilt if the index was redefined. */
function orderedIndex(table: Table, name: string): OrderedIndex | undefined {
  const definition = table.indexes[name]
  if (!definition || definition.multi || definition.geo) return undefined
  let byName = indexes.get(table)
  if (!byName) indexes.set(table, (byName = new Map()))
  let index = byName.get(name)
  if (index && index.fn !== definition.fn) {
    index.detach()
    byName.delete(name)
    index = undefined
  }
  if (!index) {
    const shape = indexFields(definition.fn)
    if (!shape) return undefined
    index = new OrderedIndex(table, definition.fn, shape)
    byName.set(name, index)
  }
  return index.unusable ? undefined : index
}

/** The terms of `between(l, r, { index }).orderBy({ index }).limit(n)`, or `undefined` for any other shape. */
function pageShape(args: Term[]) {
  const [ordered, count] = args as [Term, Term]
  if (!Array.isArray(ordered) || ordered[0] !== termTypes.ORDER_BY || (ordered[1] as Term[]).length !== 1) return undefined
  const orderOptions = (ordered[2] ?? {}) as { index?: Term }
  let index = orderOptions.index
  if (Array.isArray(index) && index[0] === termTypes.ASC) index = (index[1] as Term[])[0]
  if (typeof index !== 'string' || Object.keys(orderOptions).length !== 1) return undefined
  const between = (ordered[1] as Term[])[0]
  if (!Array.isArray(between) || between[0] !== termTypes.BETWEEN) return undefined
  const [table, left, right] = between[1] as [Term, Term, Term]
  const options = (between[2] ?? {}) as { index?: unknown; left_bound?: unknown; right_bound?: unknown }
  const known = Object.keys(options).every((key) => key === 'index' || key === 'left_bound' || key === 'right_bound')
  if (!known || options.index !== index || !Array.isArray(table) || table[0] !== termTypes.TABLE) return undefined
  const leftOpen = options.left_bound === 'open'
  const rightClosed = options.right_bound === 'closed'
  if (![undefined, 'open', 'closed'].includes(options.left_bound as string | undefined)) return undefined
  if (![undefined, 'open', 'closed'].includes(options.right_bound as string | undefined)) return undefined
  return { index, table, left, right, count, leftOpen, rightClosed }
}

/** A reqlite array (Sequence) as a plain array, so bounds compare with the keys. */
const plain = (value: unknown): unknown => (util.isSequence(value) ? Array.from({ length: value.length }, (_, i) => value.get(i)) : value)

let installed = false

/** Installs the fast path into reqlite's query evaluation (once per process). */
export function installOrderedIndexes(): void {
  if (installed) return
  installed = true
  const limit = QueryPrototype.limit!
  QueryPrototype.limit = function (this: Query, args: unknown, options: unknown, internalOptions: unknown) {
    const shape = pageShape(args as Term[])
    if (!shape) return limit.call(this, args, options, internalOptions)
    const evaluate = async (term: Term) => plain(await (this.evaluate(term, internalOptions) as Promise<unknown>))
    // evaluate() of a datum gives reqlite's own promise type, whose extra methods callers may use.
    return (this.evaluate(null, internalOptions) as Promise<unknown>).then(async () => {
      const table = (await this.evaluate(shape.table, internalOptions)) as Table
      const index = table && typeof table === 'object' && 'indexes' in table ? orderedIndex(table, shape.index) : undefined
      const count = await evaluate(shape.count)
      if (!index || typeof count !== 'number' || !Number.isInteger(count) || count < 0)
        return limit.call(this, args, options, internalOptions)
      const [left, right] = [await evaluate(shape.left), await evaluate(shape.right)]
      const page = new Selection([], table, { type: 'TABLE_SLICE' })
      // Rows of plain values (every rtkit document) go out as they are stored, without reqlite's
      // deep copy; anything else (arrays, times) through reqlite's own conversion.
      const rows: ReqliteDocument[] = []
      Object.assign(page, { toDatum: () => rows.map((row) => (isFlat(row.doc) ? row.doc : util.toDatum(row))) })
      for (let i = index.lowerBound(left, shape.leftOpen), taken = 0; i < index.entries.length && taken < count; i++, taken++) {
        const entry = index.entries[i]!
        const order = compare(entry.key, right)
        if (order > 0 || (order === 0 && !shape.rightClosed)) break
        page.push(entry.doc)
        rows.push(entry.doc)
      }
      return page
    })
  }
}
