import type { KitError } from '../../services/state/kit-error.ts'

/**
 * The errors that concern one partition of a collection, so a tag shows only
 * its own: those from a command on that collection whose document is in the
 * partition (an insert into it, or a write to a document the tag shows), and
 * conflicts whose current server document is in it.
 */
export function errorsFor(
  errors: readonly KitError[],
  collection: string,
  partitionKey: string,
  partition: string,
  shownIds: ReadonlySet<string>,
): readonly KitError[] {
  return errors.filter((error) => {
    const command = error.command
    if (!command || command.collection !== collection) return false
    if (command.op === 'insert' && command.fields[partitionKey] === partition) return true
    if (error.current && (error.current as Record<string, unknown>)[partitionKey] === partition) return true
    return shownIds.has(command.docId)
  })
}
