// Per-tag entries, typed properties and typed events: `tsc --noEmit` checks
// this file against the package's declarations.
import { configure } from 'rtkit/configure'
import 'rtkit/rt-login'
import 'rtkit/rt-task-board'

const params = new URLSearchParams(location.search)
configure({ apiUrl: params.get('api') ?? '/api', realtimeUrl: params.get('realtime') ?? '/deepstream' })

const login = document.createElement('rt-login')
const board = document.createElement('rt-task-board')
board.board = params.get('board') ?? 'consumers' // a typed property (HTMLElementTagNameMap)

const log = document.createElement('ol')
log.id = 'log'
board.addEventListener('rt-task-add', (event) => {
  const title: string = event.detail.title // typed detail (HTMLElementEventMap)
  log.append(Object.assign(document.createElement('li'), { textContent: `added ${title}` }))
})
login.addEventListener('rt-login', (event) => {
  const name: string = event.detail.user.name
  log.append(Object.assign(document.createElement('li'), { textContent: `signed in ${name}` }))
})

document.body.append(login, board, log)
