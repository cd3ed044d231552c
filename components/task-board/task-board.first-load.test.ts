/**
 * The first board on a page loads its interactive parts (`board-parts.ts`)
 * when it first renders signed in. Here the kit has the board's tasks (and
 * the page has the virtualizer) before the board exists, so the parts are
 * the last thing to arrive and nothing updates the board after them: the
 * cards must still have their Tab stop. A file of its own, because the parts
 * load once per page and only the page's first board meets this.
 */
import { expect, waitUntil } from '@open-wc/testing'
import { filter, firstValueFrom } from 'rxjs'
import type { TaskFields } from '../../contracts/index.ts'
import { mountBoard } from '../testing/board-fixtures.ts'
import { ApiClient, disposeKits, shadowAll, signedInKit, uniqueName, WAIT } from '../testing/test-server.ts'
import { loadVirtualizer } from './virtualizer.ts'
import { tasksOf } from '../../services/index.ts'

describe('<rt-task-board>, the first on its page', () => {
  afterEach(disposeKits)

  it('gives the first card its Tab stop when its parts arrive after its tasks', async () => {
    const board = uniqueName('board')
    const bob = await ApiClient.login('bob')
    for (let order = 1; order <= 3; order += 1)
      await bob.insert<Partial<TaskFields>>('tasks', { board, title: `Task ${order}`, status: 'todo', order })
    await loadVirtualizer()
    const kit = await signedInKit('alice')
    const live = tasksOf(kit).tasks$(board).subscribe()
    await firstValueFrom(
      tasksOf(kit)
        .tasks$(board)
        .pipe(filter((tasks) => tasks.length === 3)),
    )

    const el = await mountBoard(kit, board)
    await waitUntil(() => shadowAll(el, '[part~="card"]').length === 3, 'the cards', WAIT)
    await el.updateComplete

    expect(shadowAll(el, '[part="card-title"][tabindex="0"]')).to.have.length(1)
    live.unsubscribe()
  })
})
