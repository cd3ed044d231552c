import type { Command } from '../commands/command.ts'
import type { KeyValueStorage } from './key-value-storage.ts'
import type { LatestWrites } from './latest-writes.ts'
import { STALE_AFTER_MS, type TabPresence } from './tab-presence.ts'

/**
 * The stored command queues of one user, one per tab, so that two tabs never
 * overwrite each other's queue (the last writer would win and the other's
 * commands be lost):
 *
 *   <prefix>:commands:<userId>:<tabId> → { tab, beat, commands }
 *
 * Each tab sends only the commands of its own queue. When a tab closes with
 * commands still queued (offline, say), an open tab takes them over: under an
 * exclusive lock it adds them to its own stored queue first and only then
 * removes the closed tab's, merging by command id, so a crash in between
 * leaves a duplicate that the next merge drops, never a loss, and no two tabs
 * ever send the same command. A queue stored by an earlier version under
 * `<prefix>:commands:<userId>` is taken over the same way.
 *
 * A storage without `keys()` cannot list other tabs' queues: then every tab
 * of the user shares that one key, as before.
 */
export interface QueueRecord {
  tab: string
  /** When the tab last wrote it (ms since the epoch); 0 once the tab has released it. */
  beat: number
  commands: Command[]
}

function isCommand(value: unknown): value is Command {
  const command = value as Partial<Command> | null
  return (
    typeof command?.id === 'string' &&
    typeof command.docId === 'string' &&
    typeof command.collection === 'string' &&
    (command.op === 'insert' || command.op === 'update' || command.op === 'remove' || command.op === 'call')
  )
}

/** A stored queue, in this version's format or the earlier bare array; `undefined` when unreadable. */
function parse(raw: string | null | undefined): QueueRecord | undefined {
  if (!raw) return undefined
  try {
    const value: unknown = JSON.parse(raw)
    if (Array.isArray(value)) return { tab: '', beat: 0, commands: value.filter(isCommand) }
    const record = value as Partial<QueueRecord>
    if (typeof record?.tab !== 'string' || !Array.isArray(record.commands)) return undefined
    return { tab: record.tab, beat: Number(record.beat) || 0, commands: record.commands.filter(isCommand) }
  } catch {
    return undefined
  }
}

/** `base` followed by the commands of `more` it does not hold yet (by command id). */
export function mergeById(base: readonly Command[], more: readonly Command[]): Command[] {
  const ids = new Set(base.map((command) => command.id))
  return [...base, ...more.filter((command) => !ids.has(command.id) && ids.add(command.id))]
}

export class QueueStore {
  constructor(
    private readonly storage: KeyValueStorage,
    private readonly prefix: string,
    private readonly presence: TabPresence,
    /** Serialises writes per key (shared with the effect that persists the queue). */
    private readonly writes: LatestWrites,
    private readonly now: () => number = Date.now,
  ) {}

  /** The key every tab shared before queues were per tab (and still shares without `keys()`). */
  #sharedKey(userId: string): string {
    return `${this.prefix}:commands:${userId}`
  }

  /** This tab's key for `userId`'s queue. */
  ownKey(userId: string): string {
    return this.storage.keys ? `${this.#sharedKey(userId)}:${this.presence.tabId}` : this.#sharedKey(userId)
  }

  /** Stores this tab's queue of `userId` (only that user's commands), or removes it when empty. */
  save(userId: string, queue: readonly Command[], released = false): void {
    const own = queue.filter((command) => command.userId === userId)
    const record: QueueRecord = { tab: this.presence.tabId, beat: released ? 0 : this.now(), commands: own }
    this.writes.write(this.ownKey(userId), own.length === 0 ? null : JSON.stringify(record))
  }

  /** This tab's stored queue of `userId` plus every queue closed tabs left (see the class comment). */
  async load(userId: string): Promise<Command[]> {
    const key = this.ownKey(userId)
    // A re-login of the same user may still be writing it: read the latest.
    await this.writes.written(key)
    const own = parse(await this.storage.get(key))?.commands.filter((command) => command.userId === userId) ?? []
    return mergeById(own, await this.adopt(userId, own))
  }

  /**
   * Takes over the queues of `userId` that closed tabs left: returns the
   * commands that `current` (this tab's queue) does not hold yet, once they
   * are stored under this tab's key and their old keys are gone.
   */
  adopt(userId: string, current: readonly Command[]): Promise<Command[]> {
    if (!this.storage.keys) return Promise.resolve([])
    return this.presence.exclusive(`${this.#sharedKey(userId)}:adopting`, async () => {
      const own = this.ownKey(userId)
      const keys = [this.#sharedKey(userId), ...(await this.storage.keys!(`${this.#sharedKey(userId)}:`))].filter((key) => key !== own)
      const alive = await this.presence.aliveTabs()
      const orphans: string[] = []
      let adopted: Command[] = []
      for (const key of keys) {
        const record = parse(await this.storage.get(key))
        if (!record) continue
        const gone =
          key === this.#sharedKey(userId) ||
          (alive ? !alive.has(record.tab) : record.beat === 0 || this.now() - record.beat > STALE_AFTER_MS)
        if (!gone) continue
        orphans.push(key)
        adopted = mergeById(
          adopted,
          record.commands.filter((command) => command.userId === userId),
        )
      }
      if (orphans.length === 0) return []
      const fresh = adopted.filter((command) => !current.some((held) => held.id === command.id))
      // Ours first, then theirs removed: a crash in between duplicates, never loses.
      this.save(userId, mergeById(current, fresh))
      await this.writes.written(own)
      for (const key of orphans) await this.storage.remove(key)
      return fresh
    })
  }
}
