import type { CommandReceipt, Kit, KitError } from '../../services/index.ts'
import type { ErrorAction } from './error-list.ts'

/**
 * "Apply again" for an update refused because someone changed the document
 * first (a conflict carries the server's current document): the same change,
 * on that newer version. `report` sees the new command (for its events), and
 * the error is dismissed. `undefined` for any other error.
 *
 * @example
 * errorList(this.localize, errors, dismiss, (error) => applyAgain(kit, error, (receipt) => reportOutcome(this, receipt, { poll })))
 */
export function applyAgain(
  kit: Kit,
  error: KitError,
  report: (receipt: CommandReceipt) => void = () => {},
  label = 'Apply again',
): ErrorAction | undefined {
  const { command, current } = error
  if (error.code !== 'conflict' || command?.op !== 'update' || !current) return undefined
  return {
    label,
    run: () => {
      report(kit.update(command.collection, command.docId, command.patch, { expectedVersion: current.version }))
      kit.dismissError(error.id)
    },
  }
}
