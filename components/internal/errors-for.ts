import type { KitError } from '../../services/index.ts'

/**
 * The errors that concern one partition of a collection, so a tag shows only
 * its own: a failed read of the partition (so an unknown collection or a
 * server error does not pass for an empty list), those from a command on
 * that collection whose document is in the partition (an insert into it, or
 * a write to a document the tag shows), and conflicts whose current server
 * document is in it.
 */
export function errorsFor(
  errors: readonly KitError[],
  collection: string,
  partitionKey: string,
  partition: string,
  shown: readonly { readonly id: string }[],
): readonly KitError[] {
  // Usually there are no errors at all: then the shown list (thousands of
  // documents on a big board) is not even looked at.
  if (errors.length === 0) return errors
  const shownIds = new Set(shown.map((doc) => doc.id))
  return errors.filter((error) => {
    if (error.query) return error.query.collection === collection && error.query.value === partition
    const command = error.command
    if (!command || command.collection !== collection) return false
    if (command.op === 'insert' && command.fields[partitionKey] === partition) return true
    if (error.current && (error.current as Record<string, unknown>)[partitionKey] === partition) return true
    return shownIds.has(command.docId)
  })
}
