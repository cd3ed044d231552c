import type { Doc } from '../../contracts/index.ts'

/**
 * A document as a live query emits it: the server's document with any pending
 * local commands applied on top.
 *
 * - `pending: true` when at least one command on this document is queued or
 *   in flight; the fields already show its effect.
 * - An optimistic insert not yet confirmed has `version: 0`, `createdAt` and
 *   `updatedAt` set to the time it was issued, and `createdBy` the current user.
 * - A document with a pending remove is left out of the output.
 *
 * @example
 * tasksOf(kit).tasks$('launch').subscribe((tasks) => {
 *   for (const task of tasks) row(task.id).classList.toggle('saving', task.pending === true)
 * })
 */
export type LiveDoc<F extends object = Record<string, unknown>> = Doc<F> & { readonly pending?: boolean }
