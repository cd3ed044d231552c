import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import { executeServerCommand, sendKeys, setViewport } from '@web/test-runner-commands'
import type { MessageFields, TaskFields } from '../../contracts/index.ts'
import type { Kit } from '../../services/index.ts'
import '../chat/chat.ts'
import '../login/login.ts'
import '../presence/presence.ts'
import '../provider/provider.ts'
import '../task-board/task-board.ts'
import type { RtTaskBoard } from '../task-board/task-board.ts'
import { columnOf, focused, liveBoard, pressWith } from '../testing/board-fixtures.ts'
import { ApiClient, disposeKits, newKit, shadow, shadowAll, signedInKit, uniqueName, WAIT, whenLive } from '../testing/test-server.ts'
import { registerTranslation } from './localize.ts'

type Box = { left: number; right: number }
const box = (element: Element): Box => element.getBoundingClientRect()
const centre = (element: Element) => {
  const { left, right } = box(element)
  return (left + right) / 2
}

/** One page side: a wrapper with `dir` and `lang`, the three mirrored tags in it, signed in as alice. */
async function mountSide(kit: Kit, dir: 'ltr' | 'rtl', lang: string, board: string, room: string) {
  const side = await fixture<HTMLElement>(
    html`<div dir=${dir} lang=${lang} style="width: 900px">
      <rt-provider .kit=${kit}>
        <rt-task-board board=${board}></rt-task-board>
        <rt-chat room=${room} style="--rt-chat-height: 14rem"></rt-chat>
        <rt-presence></rt-presence>
      </rt-provider>
    </div>`,
  )
  const board$ = side.querySelector<RtTaskBoard>('rt-task-board')!
  const chat = side.querySelector('rt-chat')!
  const presence = side.querySelector('rt-presence')!
  await waitUntil(() => shadowAll(board$, '[part~="column"]').length === 3, 'the columns', WAIT)
  await waitUntil(() => shadowAll(chat, '[part~="message"]').length === 2, 'the two messages', WAIT)
  await waitUntil(() => shadowAll(presence, '[part~="avatar"]').length >= 1, 'someone online', WAIT)
  return { side, board: board$, chat, presence }
}

describe('the page’s language and direction', () => {
  afterEach(disposeKits)

  it('lays the board, chat and presence out mirrored under dir="rtl" lang="ar", in Arabic', async () => {
    await setViewport({ width: 1000, height: 1400 })
    const board = uniqueName('board')
    const room = uniqueName('room')
    const [alice, bob] = await Promise.all([ApiClient.login('alice'), ApiClient.login('bob')])
    await alice.insert<Partial<TaskFields>>('tasks', { board, status: 'todo', order: 1, title: 'First' })
    await alice.insert<Partial<MessageFields>>('messages', { room, text: 'mine' })
    await bob.insert<Partial<MessageFields>>('messages', { room, text: 'theirs' })
    const kit = await signedInKit('alice')
    await whenLive(kit, { collection: 'tasks', board })
    const sides = {
      ltr: await mountSide(kit, 'ltr', 'en', board, room),
      rtl: await mountSide(kit, 'rtl', 'ar', board, room),
    }
    const rtl = sides.rtl
    await waitUntil(() => shadow(rtl.board, '#title-todo')?.textContent === 'للتنفيذ', 'the Arabic catalogue', WAIT)
    // Each tag loads its data on its own: the catalogue may come first.
    await waitUntil(
      () =>
        Object.values(sides).every(
          (side) =>
            side.board.columns.todo.length === 1 &&
            shadowAll(side.chat, '[part~="message"]').length === 2 &&
            shadowAll(side.presence, '[part~="avatar"]').length > 0,
        ),
      'the task, both messages and an avatar on both sides',
      WAIT,
    )
    for (const side of Object.values(sides)) await side.board.updateComplete

    for (const [dir, { board: el, chat, presence }] of Object.entries(sides)) {
      const column = (status: string) => shadow(el, `.column[data-status="${status}"]`)!
      const [todo, doing, done] = [column('todo'), column('doing'), column('done')]
      const own = shadowAll(chat, '[part~="message-own"]')[0]!
      const other = shadowAll(chat, '[part~="message"]').find((message) => !message.matches('.own'))!
      const input = shadow(chat, '[part="input"]')!
      const send = shadow(chat, '[part="send"]')!
      const firstAvatar = shadowAll(presence, '[part~="avatar"]')[0]!
      const count = shadow(presence, '[part="count"]')!
      const chatBox = box(chat)
      if (dir === 'ltr') {
        expect(box(todo).left, 'To do is the leftmost column').to.be.below(box(doing).left)
        expect(box(doing).left).to.be.below(box(done).left)
        expect(box(own).right, 'own messages at the right edge').to.be.closeTo(chatBox.right, 24)
        expect(box(other).left).to.be.closeTo(chatBox.left, 24)
        expect(centre(send), 'Send after the input').to.be.above(centre(input))
        expect(centre(count), 'the count after the avatars').to.be.above(centre(firstAvatar))
      } else {
        expect(box(todo).left, 'the first column at the right').to.be.above(box(doing).left)
        expect(box(doing).left).to.be.above(box(done).left)
        expect(box(own).left, 'own messages at the left edge').to.be.closeTo(chatBox.left, 24)
        expect(box(other).right).to.be.closeTo(chatBox.right, 24)
        expect(centre(send), 'Send before the input, on the left').to.be.below(centre(input))
        expect(centre(count)).to.be.below(centre(firstAvatar))
      }
    }
    // Arabic everywhere, counts through Intl.PluralRules (one task: the singular form).
    expect(shadow(rtl.board, '.column[data-status="todo"] [part="count"]')!.textContent).to.equal('مهمة واحدة')
    expect(shadow(rtl.chat, '[part="send"]')!.textContent).to.equal('إرسال')
    expect(shadow(rtl.presence, '[part="list"]')!.getAttribute('aria-label')).to.equal('المستخدمون المتصلون')
    // The pictures, for a person to look at (test-artifacts/screenshots/).
    const path = await executeServerCommand<string, { name: string }>('rtkit-screenshot', { name: 'rtl-and-ltr' })
    expect(path).to.match(/rtl-and-ltr\.png$/)
  })

  it('under dir="rtl", the arrow keys follow the screen: Shift+ArrowLeft moves a task to the column on its left', async () => {
    const { el } = await liveBoard([{ title: 'Mirrored' }])
    el.closest('rt-provider')!.setAttribute('dir', 'rtl')
    shadow(el, '[part="card-title"]')!.focus()
    await pressWith('Shift', 'ArrowLeft')
    await waitUntil(() => columnOf(el, 'Mirrored') === 'doing', 'moved to Doing, left of To do', WAIT)
    await sendKeys({ press: 'ArrowLeft' })
    expect(focused(el)?.dataset.cell, 'ArrowLeft goes to the next cell, "Move to…"').to.equal('1')
  })

  it('renders again when the nearest lang changes at run time, through a shadow root', async () => {
    const kit = await newKit()
    // <rt-login> inside another component's shadow root, below the element whose lang changes.
    const outer = await fixture<HTMLElement>(html`<section lang="en"><div class="shadow-host"></div></section>`)
    const host = outer.querySelector('.shadow-host')!
    const root = host.attachShadow({ mode: 'open' })
    const provider = Object.assign(document.createElement('rt-provider'), { kit })
    const login = document.createElement('rt-login')
    provider.append(login)
    root.append(provider)
    const submit = () => shadow(login, '[part="submit"]')?.textContent?.trim()
    await waitUntil(() => submit() === 'Sign in', 'English first', WAIT)

    outer.setAttribute('lang', 'de')
    await waitUntil(() => submit() === 'Anmelden', 'German after the ancestor’s lang changed', WAIT)
    expect(shadow(login, 'label[for="username"]')!.textContent).to.equal('Benutzername')

    // A lang inside the shadow root is nearer than the section's.
    provider.setAttribute('lang', 'en-GB')
    await waitUntil(() => submit() === 'Sign in', 'English again from the nearer lang', WAIT)
    provider.removeAttribute('lang')
    await waitUntil(() => submit() === 'Anmelden', 'German again', WAIT)
  })

  it('renders the board and chat in German, with times and counts through Intl', async () => {
    const board = uniqueName('board')
    const room = uniqueName('room')
    const bob = await ApiClient.login('bob')
    await bob.insert<Partial<TaskFields>>('tasks', { board, status: 'doing', order: 1, title: 'Eins' })
    await bob.insert<Partial<TaskFields>>('tasks', { board, status: 'doing', order: 2, title: 'Zwei' })
    const message = await bob.insert<Partial<MessageFields>>('messages', { room, text: 'Hallo' })
    const kit = await signedInKit('alice')
    const page = await fixture<HTMLElement>(
      html`<div lang="de-DE">
        <rt-provider .kit=${kit}><rt-task-board board=${board}></rt-task-board><rt-chat room=${room}></rt-chat></rt-provider>
      </div>`,
    )
    const el = page.querySelector<RtTaskBoard>('rt-task-board')!
    const chat = page.querySelector('rt-chat')!
    await waitUntil(() => shadow(el, '#title-doing')?.textContent === 'In Arbeit', 'German column titles', WAIT)
    await waitUntil(() => shadowAll(el, '[part~="card"]').length === 2, 'the two tasks', WAIT)
    expect(shadowAll(el, '.column-header > span:first-child').map((title) => title.textContent)).to.deep.equal([
      'Offen',
      'In Arbeit',
      'Erledigt',
    ])
    expect(shadow(el, '.column[data-status="doing"] [part="count"]')!.textContent).to.equal('2 Aufgaben')
    expect(shadow(el, '.column[data-status="todo"] .empty')!.textContent).to.equal('Keine Aufgaben')
    expect(shadow(el, '[part~="card-move"]')!.textContent).to.contain('Verschieben nach…')
    expect(shadow(el, '[part="add-input"]')!.getAttribute('placeholder')).to.equal('Aufgabe hinzufügen…')

    await waitUntil(() => shadowAll(chat, '[part~="message"]').length === 1, 'the message', WAIT)
    const time = shadow(chat, '[part="time"]')!
    const expected = new Intl.DateTimeFormat('de-DE', { hour: '2-digit', minute: '2-digit' }).format(new Date(message.createdAt!))
    expect(time.textContent).to.equal(expected)
    expect(shadow(chat, '[part="send"]')!.textContent).to.equal('Senden')
  })

  it('speaks a language added with registerTranslation(), falling back to English for keys it leaves out', async () => {
    registerTranslation({ $code: 'eo', $name: 'Esperanto', $dir: 'ltr', signIn: 'Enter' })
    const kit = await newKit()
    const page = await fixture<HTMLElement>(
      html`<div lang="eo">
        <rt-provider .kit=${kit}><rt-login></rt-login></rt-provider>
      </div>`,
    )
    const login = page.querySelector('rt-login')!
    await waitUntil(() => shadow(login, '[part="submit"]')?.textContent?.trim() === 'Enter', 'the registered term', WAIT)
    expect(shadow(login, 'label[for="password"]')!.textContent).to.equal('Password')
  })
})
