import { descriptors, storedText } from '../../contracts/index.ts'

/**
 * `fields` as the server will store them: the collection's text fields (its
 * descriptor's `textFields`, which the server stores with `visibleText`)
 * as `storedText` makes them (trimmed, NFC), the same function the server's
 * schemas call. Doing the same when a command is built makes the
 * optimistic value the value the server will store, so the pending view
 * does not jump on confirmation and a replayed update recognises its own
 * earlier write instead of reporting a false conflict. Returns `fields`
 * itself when nothing changes.
 *
 * @example
 * serverNormalForm('tasks', { title: '  Ship it ' }) // { title: 'Ship it' }
 */
export function serverNormalForm(collection: string, fields: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  let normal = fields
  const textFields: readonly string[] = Object.hasOwn(descriptors, collection) ? descriptors[collection]!.textFields : []
  for (const field of textFields) {
    const value = fields[field]
    if (typeof value !== 'string') continue
    const stored = storedText(value)
    if (stored !== value) normal = { ...normal, [field]: stored }
  }
  return normal
}
