/**
 * Fields the server trims and normalises to NFC before storing
 * (`visibleText` in `contracts/text.ts`, used by `contracts/tasks.ts` and
 * `contracts/messages.ts`), by collection. Doing the same when a command is
 * built makes the optimistic value the value the server will store, so the
 * pending view does not jump on confirmation and a replayed update recognises
 * its own earlier write instead of reporting a false conflict.
 */
const TRIMMED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  tasks: ['title'],
  messages: ['text'],
}

/**
 * `fields` as the server will store them: trimmed and NFC-normalised where the server does so.
 * Returns `fields` itself when nothing changes.
 *
 * @example
 * serverNormalForm('tasks', { title: '  Ship it ' }) // { title: 'Ship it' }
 */
export function serverNormalForm(collection: string, fields: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  let normal = fields
  for (const field of TRIMMED_FIELDS[collection] ?? []) {
    const value = fields[field]
    if (typeof value !== 'string') continue
    const stored = value.trim().normalize('NFC')
    if (stored !== value) normal = { ...normal, [field]: stored }
  }
  return normal
}
