import { descriptors, storedText } from '../../contracts/index.ts'

/** The text fields of a built-in collection, from its descriptor; none for any other. */
export function builtinTextFields(collection: string): readonly string[] {
  return Object.hasOwn(descriptors, collection) ? descriptors[collection]!.textFields : []
}

/**
 * `fields` as the server will store them: the collection's text fields
 * (`textFieldsOf`: a built-in's descriptor, or what `GET /collections` said)
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
export function serverNormalForm(
  collection: string,
  fields: Readonly<Record<string, unknown>>,
  textFieldsOf: (collection: string) => readonly string[] = builtinTextFields,
): Readonly<Record<string, unknown>> {
  let normal = fields
  const textFields = textFieldsOf(collection)
  for (const field of textFields) {
    const value = fields[field]
    if (typeof value !== 'string') continue
    const stored = storedText(value)
    if (stored !== value) normal = { ...normal, [field]: stored }
  }
  return normal
}
