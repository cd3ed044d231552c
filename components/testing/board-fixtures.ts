/**
 * Fixtures of the `<rt-task-board>` tests (test-only): a board with live
 * data, and ways to find its cards.
 */
import { fixture, html, waitUntil } from '@open-wc/testing'
import { sendKeys } from '@web/test-runner-commands'
import type { TaskFields } from '../../contracts/index.ts'
import type { Kit } from '../../services/index.ts'
import '../provider/provider.ts'
import '../task-board/task-board.ts'
import type { RtTaskBoard } from '../task-board/task-board.ts'
import { ApiClient, WAIT, shadowAll, signedInKit, uniqueName, whenLive } from './test-server.ts'

export async function mountBoard(kit: Kit, board: string, threshold = 50): Promise<RtTaskBoard> {
  const provider = await fixture(
    html`<rt-provider .kit=${kit}><rt-task-board board=${board} virtualize-threshold=${threshold}></rt-task-board></rt-provider>`,
  )
  return provider.querySelector('rt-task-board')!
}

/** A board with live data, as alice; `seed` tasks are written first by bob. */
export async function liveBoard(seed: Array<Partial<TaskFields>> = [], threshold = 50) {
  const board = uniqueName('board')
  const bob = await ApiClient.login('bob')
  for (const [index, task] of seed.entries()) {
    await bob.insert<Partial<TaskFields>>('tasks', { board, status: 'todo', order: index + 1, ...task })
  }
  const kit = await signedInKit('alice')
  const el = await mountBoard(kit, board, threshold)
  await whenLive(kit, { collection: 'tasks', board })
  await waitUntil(() => el.columns.todo.length + el.columns.doing.length + el.columns.done.length === seed.length, 'seeded tasks', WAIT)
  // The data may come before the board's interactive parts (loaded on its first signed-in render).
  await waitUntil(() => shadowAll(el, '[part~="column"]').length === 3, 'the columns on screen', WAIT)
  await el.updateComplete
  return { board, bob, kit, el }
}

/** Presses `key` with `modifier` held (sendKeys takes no "Shift+" combos). */
export async function pressWith(modifier: 'Shift' | 'Control', key: string): Promise<void> {
  await sendKeys({ down: modifier })
  await sendKeys({ press: key })
  await sendKeys({ up: modifier })
}

/** The card showing `title`. */
export const card = (el: RtTaskBoard, title: string) =>
  shadowAll(el, '[part~="card"]').find((candidate) => candidate.querySelector('[part="card-title"]')?.textContent?.trim() === title)

/** The column (`todo`, `doing`, `done`) the card showing `title` is in. */
export const columnOf = (el: RtTaskBoard, title: string) => card(el, title)?.closest<HTMLElement>('.column')?.dataset.status

/** The element focused inside the board. */
export const focused = (el: RtTaskBoard) => el.shadowRoot!.activeElement as HTMLElement | null
