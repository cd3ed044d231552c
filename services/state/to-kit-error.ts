import type { Doc } from '../../contracts/index.ts'
import type { Command } from '../commands/command.ts'
import type { PartitionRef } from '../gateways/http-gateway.ts'
import { HttpError } from '../gateways/http-errors.ts'
import type { KitError } from './kit-error.ts'

/**
 * A serialisable {@link KitError} from anything thrown. Id and time come in
 * from the caller so this stays pure.
 *
 * @example
 * toKitError(error, { id: crypto.randomUUID(), at: new Date().toISOString(), command })
 */
export function toKitError(
  error: unknown,
  meta: { id: string; at: string; command?: Command | undefined; current?: Doc | undefined; query?: PartitionRef | undefined },
): KitError {
  const base = { id: meta.id, at: meta.at, command: meta.command, current: meta.current, ...(meta.query ? { query: meta.query } : {}) }
  if (error instanceof HttpError) {
    return { ...base, code: error.code, message: error.message, status: error.status || undefined, details: error.details }
  }
  return { ...base, code: 'client_error', message: error instanceof Error ? error.message : String(error) }
}
