/**
 * Colour contrast of every tag (axe's `color-contrast` rule) on light and
 * dark host pages, with the operating system in light and dark mode, for
 * each `--rt-color-scheme`: the default (light, following the page), `dark`,
 * and `auto` (following the OS). Text must never depend on the host's background.
 */
import { expect, html, nextFrame, waitUntil } from '@open-wc/testing'
import { render } from 'lit'
import { emulateMedia } from '@web/test-runner-commands'
import 'axe-core/axe.min.js'
import type { AxeResults, RunOptions } from 'axe-core'
import '../index.ts'
import type { RtChat, RtPresence, RtTaskBoard } from '../index.ts'
import { ApiClient, WAIT, disposeKits, newKit, shadowAll, shadowFind, signedInKit, uniqueName } from '../testing/test-server.ts'
import { messagesOf, tasksOf } from '../../services/index.ts'

const axe = (window as unknown as { axe: { run(context: Element, options: RunOptions): Promise<AxeResults> } }).axe

const HOSTS = { light: '#ffffff', dark: '#121212' } as const
const SCHEMES = ['', 'dark', 'auto'] as const
const OS = ['light', 'dark'] as const

/** axe's colour-contrast result for everything inside `root`, as readable lines. */
async function contrast(root: Element) {
  const results = await axe.run(root, {
    runOnly: { type: 'rule', values: ['color-contrast'] },
    resultTypes: ['violations', 'incomplete', 'passes'],
  })
  const describe = (kind: 'violations' | 'incomplete' | 'passes') =>
    results[kind].flatMap((rule) =>
      rule.nodes.map((node) => `${node.target.join(' > ')}: ${node.failureSummary ?? node.any[0]?.message ?? ''}`),
    )
  // "✕" is a symbol, not text: axe leaves it undecided, and it is not text a user reads.
  const incomplete = describe('incomplete').filter((line) => !line.includes('only non-text characters'))
  return { violations: describe('violations'), incomplete, passes: describe('passes').length }
}

describe('theme: colour contrast on any host page', () => {
  let page: HTMLElement

  before(async function () {
    this.timeout(60_000)
    const board = uniqueName('board')
    const bob = await ApiClient.login('bob')
    await bob.insert('tasks', { board, title: 'Someone else’s task', status: 'todo', order: 1 })
    await bob.insert('tasks', { board, title: 'In progress', status: 'doing', order: 1 })
    await bob.insert('messages', { room: board, text: 'A message from Bob' })
    const alice = await signedInKit('alice')
    messagesOf(alice).sendMessage(board, 'My own message')
    tasksOf(alice).addTask({ board, title: 'x'.repeat(300) }) // rejected: the board lists an error
    // Not a fixture: @open-wc/testing removes fixtures after each test, and this page serves them all.
    page = document.createElement('div')
    document.body.append(page)
    render(
      html`<div class="host">
        <rt-provider .kit=${alice}>
          <rt-login></rt-login><rt-connection-status></rt-connection-status><rt-presence></rt-presence>
          <rt-task-board board=${board}></rt-task-board><rt-chat room=${board}></rt-chat>
        </rt-provider>
        <rt-provider .kit=${await newKit()}><rt-task-board board=${board}></rt-task-board></rt-provider>
        <rt-presence></rt-presence>
      </div>`,
      page,
    )
    const [boardEl] = page.querySelectorAll<RtTaskBoard>('rt-task-board')
    await waitUntil(() => boardEl!.columns.todo.length === 1 && boardEl!.columns.doing.length === 1, 'tasks', WAIT)
    await shadowFind(boardEl!, '[part="error"]', 'the rejected task’s error')
    await waitUntil(() => shadowAll(page.querySelector<RtChat>('rt-chat')!, '[part~="message"]').length === 2, 'messages', WAIT)
    await waitUntil(() => page.querySelector<RtPresence>('rt-presence')!.users.length > 0, 'presence', WAIT)
    await shadowFind(page.querySelectorAll('rt-task-board')[1]!, '[data-state="signed-out"]', 'a signed-out notice')
    await shadowFind(page.querySelectorAll('rt-presence')[1]!, '[data-state="not-configured"]', 'a not-configured notice')
  })

  after(async () => {
    page.remove()
    document.body.style.removeProperty('background')
    await emulateMedia({ colorScheme: 'light' })
    await disposeKits()
  })

  for (const [host, background] of Object.entries(HOSTS)) {
    for (const scheme of SCHEMES) {
      for (const os of OS) {
        it(`${host} host, ${scheme ? `--rt-color-scheme: ${scheme}` : 'default scheme'}, OS ${os}: no contrast violation`, async () => {
          await emulateMedia({ colorScheme: os })
          document.body.style.background = background
          page.style.background = background
          page.style.color = host === 'dark' ? '#f0f0f0' : '#111111'
          if (scheme) page.style.setProperty('--rt-color-scheme', scheme)
          else page.style.removeProperty('--rt-color-scheme')
          await nextFrame()
          const result = await contrast(page)
          expect(result.violations, 'violations').to.deep.equal([])
          expect(result.incomplete, 'nodes axe could not decide').to.deep.equal([])
          expect(result.passes, 'text nodes checked').to.be.greaterThan(20)
        })
      }
    }
  }

  it('paints dark with --rt-color-scheme: dark, light by default whatever the OS, and follows the OS with auto', async () => {
    const surface = () => getComputedStyle(page.querySelector('rt-chat')!).backgroundColor
    page.style.removeProperty('--rt-color-scheme')
    await emulateMedia({ colorScheme: 'dark' })
    expect(surface(), 'default on a dark OS').to.equal('rgb(255, 255, 255)')
    page.style.setProperty('--rt-color-scheme', 'auto')
    await nextFrame()
    expect(surface(), 'auto on a dark OS').not.to.equal('rgb(255, 255, 255)')
    await emulateMedia({ colorScheme: 'light' })
    expect(surface(), 'auto on a light OS').to.equal('rgb(255, 255, 255)')
    page.style.setProperty('--rt-color-scheme', 'dark')
    expect(surface(), 'dark on a light OS').not.to.equal('rgb(255, 255, 255)')
  })
})
