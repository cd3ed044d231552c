/**
 * Every tag on a page with a strict Content Security Policy
 * (`default-src 'self'; script-src 'self'; style-src 'self'`, see the `csp`
 * group in web-test-runner.config.mjs): signed out and in, with live data,
 * a user who comes online later, the "Move to…" menu, an error, a long
 * (virtualized) column. Any violation fails the test.
 */
import { expect, fixture, html, nextFrame, waitUntil } from '@open-wc/testing'
import type { TaskFields } from '../contracts/index.ts'
import './index.ts'
import type { RtChat, RtPresence, RtTaskBoard } from './index.ts'
import { ApiClient, WAIT, disposeKits, newKit, shadow, shadowAll, shadowFind, signedInKit, uniqueName } from './testing/test-server.ts'
import { tasksOf } from '../services/index.ts'

interface Violation {
  directive: string
  blocked: string
  sample: string
  source: string
}

const violations = () => (window as unknown as { __cspViolations?: Violation[] }).__cspViolations

/** Violations are reported in a task after the fact: let a few frames pass, then none may have been. */
async function expectNoViolation(what: string): Promise<void> {
  for (let frame = 0; frame < 5; frame += 1) await nextFrame()
  expect(violations(), `${what}: ${JSON.stringify(violations())}`).to.deep.equal([])
}

describe('the tags under a strict Content Security Policy', () => {
  afterEach(disposeKits)

  it('runs with the policy in force, and notices a violation', async () => {
    expect(violations(), 'the watcher is installed').to.be.an('array')
    const probe = document.createElement('div')
    probe.setAttribute('style', 'color: red')
    document.body.append(probe)
    await waitUntil(() => violations()!.length > 0, 'an inline style attribute is reported', WAIT)
    expect(violations()![0]!.directive).to.match(/^style-src/)
    expect(getComputedStyle(probe).color, 'and blocked').not.to.equal('rgb(255, 0, 0)')
    probe.remove()
    for (let frame = 0; frame < 5; frame += 1) await nextFrame()
    violations()!.length = 0
  })

  it('shows every tag without a provider or configure(): the "not configured" notices', async () => {
    await fixture(
      html`<div>
        <rt-login></rt-login><rt-connection-status></rt-connection-status><rt-presence></rt-presence>
        <rt-task-board board="b"></rt-task-board><rt-chat room="r"></rt-chat>
      </div>`,
    )
    await expectNoViolation('not configured')
  })

  it('signs in, shows live data, a user who joins later, the move menu and an error', async () => {
    const board = uniqueName('board')
    const bob = await ApiClient.login('bob')
    for (let i = 0; i < 3; i += 1) await bob.insert<Partial<TaskFields>>('tasks', { board, title: `Task ${i}`, status: 'todo', order: i })
    await bob.insert('messages', { room: board, text: 'hello' })
    const kit = await newKit()
    const root = await fixture(
      html`<rt-provider .kit=${kit}>
        <rt-login></rt-login><rt-connection-status></rt-connection-status><rt-presence></rt-presence>
        <rt-task-board board=${board}></rt-task-board><rt-chat room=${board}></rt-chat>
      </rt-provider>`,
    )
    const login = root.querySelector('rt-login')!
    await shadowFind(login, 'form')
    await expectNoViolation('signed out')

    await kit.login('alice', 'rtkit-demo')
    const boardEl = root.querySelector<RtTaskBoard>('rt-task-board')!
    const chat = root.querySelector<RtChat>('rt-chat')!
    const presence = root.querySelector<RtPresence>('rt-presence')!
    await waitUntil(() => boardEl.columns.todo.length === 3, 'tasks', WAIT)
    await waitUntil(() => shadowAll(chat, '[part~="message"]').length === 1, 'messages', WAIT)
    await waitUntil(() => presence.users.length === 1, 'alice online', WAIT)
    await expectNoViolation('signed in with data')

    const later = await signedInKit('bob')
    await waitUntil(() => presence.users.length === 2, 'bob comes online later', WAIT)
    await presence.updateComplete
    const avatars = shadowAll(presence, '[part~="avatar"]')
    for (const avatar of avatars) {
      expect(getComputedStyle(avatar).backgroundColor, 'each avatar has its colour').not.to.equal('rgba(0, 0, 0, 0)')
    }
    await expectNoViolation('a user who joins later')
    await later.logout()

    shadowAll<HTMLButtonElement>(boardEl, '[part~="card-move"]')[0]!.click()
    await shadowFind(boardEl, '#move-menu:popover-open', 'the move menu')
    shadowAll<HTMLButtonElement>(boardEl, '[part="move-option"]')[0]!.click()
    await waitUntil(() => boardEl.columns.doing.length === 1, 'moved', WAIT)
    await expectNoViolation('the move menu and a move')

    tasksOf(kit).renameTask(boardEl.columns.todo[0]!.id, 'x'.repeat(300))
    await shadowFind(boardEl, '[part="error"]', 'the error')
    await expectNoViolation('an error')
  })

  it('renders a long, virtualized column', async () => {
    const board = uniqueName('board')
    const bob = await ApiClient.login('bob')
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        bob.insert<Partial<TaskFields>>('tasks', { board, title: `Task ${i}`, status: 'todo', order: i }),
      ),
    )
    const root = await fixture(
      html`<rt-provider .kit=${await signedInKit('alice')}
        ><rt-task-board board=${board} virtualize-threshold="10"></rt-task-board
      ></rt-provider>`,
    )
    const el = root.querySelector<RtTaskBoard>('rt-task-board')!
    await waitUntil(() => shadow(el, '.list.virtual') && shadowAll(el, '.list.virtual > .card').length > 0, 'virtualized cards', WAIT)
    shadow(el, '.list.virtual')!.scrollTop = 400
    await expectNoViolation('a virtualized column')
  })
})
