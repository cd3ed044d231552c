/**
 * Where a task goes when it is dropped between two others: halfway between
 * their `order`, one past the last, or one before the first. Pure, so the
 * board and its tests agree on it.
 *
 * @example
 * orderBetween(1, 2) // 1.5
 * orderBetween(3, undefined) // 4
 * orderBetween(undefined, undefined) // 1
 */
export function orderBetween(before: number | undefined, after: number | undefined): number {
  if (before !== undefined && after !== undefined) return before === after ? before : before + (after - before) / 2
  if (before !== undefined) return before + 1
  if (after !== undefined) return after - 1
  return 1
}

/**
 * The `order` a task gets when placed at `index` of `list` (the destination
 * column in display order, without the task itself).
 */
export function orderAt(list: readonly { order: number }[], index: number): number {
  const at = Math.max(0, Math.min(index, list.length))
  return orderBetween(list[at - 1]?.order, list[at]?.order)
}
