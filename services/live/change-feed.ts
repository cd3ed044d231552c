import { Observable } from 'rxjs'
import type { Command } from '../commands/command.ts'
import type { Action } from '../core/action.ts'
import type { Store } from '../core/store.ts'
import type { PartitionRef } from '../gateways/http-gateway.ts'
import { changeReceived } from '../state/collections.ts'
import { commandConfirmed, commandRejected } from '../state/commands.ts'
import type { KitState } from '../state/root.ts'
import { diffPartition, type DocChange, type DocDiff } from './changes.ts'
import { partitionKey } from './partition-key.ts'
import type { PartitionState } from './partition-state.ts'

/** The partition once it has been fully fetched; before that there is nothing to compare with. */
function loaded(state: KitState, key: string): PartitionState | undefined {
  const partition = state.collections[key]
  return partition?.loaded ? partition : undefined
}

/** The ids an action can have changed, or `undefined` for "any" (a fetch that completed). */
function touched(action: Action): readonly string[] | undefined {
  if (changeReceived.is(action)) return [action.event.op === 'upsert' ? action.event.doc.id : action.event.id]
  if (commandConfirmed.is(action)) return [action.command.docId]
  return undefined
}

function inFlight(state: KitState): Command | undefined {
  const id = state.commands.sending
  return id === null ? undefined : state.commands.queue.find((command) => command.id === id)
}

/**
 * Every change to the documents of one partition, as the store learns of it,
 * told apart by origin. The first full fetch is the starting point (no
 * changes); later fetches (after a reconnect) report what changed meanwhile
 * as `remote`; a sign-out starts over.
 *
 * Origin: a change is `local` when it is the result of this kit's command.
 * The server's realtime echo of that command can arrive before the HTTP
 * answer; a change to the document being written is therefore held until
 * the command settles, and is `local` if its version is the one the server
 * confirmed, `remote` otherwise (someone else wrote it meanwhile).
 *
 * `live$` (the partition's live query) is subscribed meanwhile, which keeps
 * the partition open; without it, another subscriber must.
 */
export function partitionChanges<F extends object = Record<string, unknown>>(
  store: Store<KitState>,
  ref: PartitionRef,
  live$?: Observable<unknown>,
): Observable<DocChange<F>> {
  const key = partitionKey(ref)
  return new Observable<DocChange>((subscriber) => {
    // The live query keeps the partition open (and fetched) while changes are watched.
    const open = live$?.subscribe()
    let baseline = loaded(store.state, key)
    let held: { diff: DocDiff; commandId: string }[] = []

    const settle = (command: Command, confirmedVersion: number | undefined): void => {
      const mine = held.filter((entry) => entry.commandId === command.id)
      if (mine.length === 0) return
      held = held.filter((entry) => entry.commandId !== command.id)
      for (const { diff } of mine) {
        const local = diff.version === confirmedVersion
        subscriber.next(local ? { ...diff, origin: 'local', commandId: command.id } : { ...diff, origin: 'remote' })
      }
    }

    const subscription = store.actions$.subscribe((action) => {
      const state = store.state
      const current = loaded(state, key)
      if (!current) {
        baseline = undefined
        held = []
        return
      }
      const before = baseline
      baseline = current
      const confirmed = commandConfirmed.is(action) ? action : undefined
      // What was held for a command comes out first: it happened before the command's result.
      if (commandRejected.is(action)) settle(action.command, undefined)
      if (confirmed) settle(confirmed.command, confirmed.doc?.version ?? confirmed.removed?.version)
      if (!before) return
      const writing = inFlight(state)
      for (const diff of diffPartition(before, current, touched(action))) {
        if (confirmed && confirmed.command.collection === ref.collection && confirmed.command.docId === diff.id) {
          subscriber.next({ ...diff, origin: 'local', commandId: confirmed.command.id })
        } else if (writing && writing.collection === ref.collection && writing.docId === diff.id) {
          held.push({ diff, commandId: writing.id })
        } else {
          subscriber.next({ ...diff, origin: 'remote' })
        }
      }
    })
    return () => {
      subscription.unsubscribe()
      open?.unsubscribe()
    }
  }) as Observable<DocChange<F>>
}
