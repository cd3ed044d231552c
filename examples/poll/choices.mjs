/** The choices of every poll: the config validates votes against them, the widget shows them. */
export const CHOICES = ['red', 'green', 'blue']

/** A poll whose name starts with this is closed: the server refuses new and changed votes. */
export const CLOSED_PREFIX = 'closed-'

/**
 * Who created a poll, from the documents of its `polls` partition: the author
 * of the earliest (then smallest id), so two users opening a new poll at the
 * same moment still agree on one creator. `undefined` when nobody opened it.
 *
 * @param {ReadonlyArray<{ id: string, createdAt: string, createdBy: string }>} polls
 * @returns {string | undefined}
 */
export function creatorOf(polls) {
  const [first] = [...polls].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
  return first?.createdBy
}
