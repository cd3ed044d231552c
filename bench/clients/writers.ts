/**
 * A child process of writers that add tasks through the API while the
 * parent says "run", and hold still while it says "pause": the load of the
 * listing figure (`list.underLoad`), switched on and off round by round so
 * the idle pages are measured in turn with the loaded ones. Writers add to a
 * board of their own, so the paged board stays at its size. Over IPC:
 * "run" → "running" once a write has gone through; "pause" → "paused" once
 * every writer is idle; "stop" → "result" with the number of writes.
 */
export {}

const apiUrl = process.env.API_URL as string
const token = process.env.TOKEN as string
const board = process.env.BOARD as string
const writers = Number(process.env.WRITERS)
/** Safety net: stop by itself even if the parent never says so. */
const deadline = Date.now() + Number(process.env.MAX_MS)

let state: 'paused' | 'running' | 'stopping' = 'paused'
let wake: () => void = () => undefined
let woken = new Promise<void>((resolve) => (wake = resolve))
let busy = 0
let writes = 0
/** Whether "running" has been said since the last "run", and "paused" since the last "pause". */
let saidRunning = true
let saidPaused = true

function send(message: object): void {
  process.send?.(message)
}

function settle(): void {
  if (state === 'paused' && busy === 0 && !saidPaused) {
    saidPaused = true
    send({ type: 'paused' })
  }
}

process.on('message', (message: { type: string }) => {
  if (message.type === 'run') {
    state = 'running'
    saidRunning = false
    wake()
  } else if (message.type === 'pause') {
    state = 'paused'
    saidPaused = false
    woken = new Promise<void>((resolve) => (wake = resolve))
    settle()
  } else if (message.type === 'stop') {
    state = 'stopping'
    wake()
  }
})

async function writer(index: number): Promise<void> {
  for (let i = 0; Date.now() < deadline; i++) {
    while (state === 'paused') await woken
    if (state === 'stopping') return
    busy++
    try {
      const response = await fetch(`${apiUrl}/collections/tasks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ id: crypto.randomUUID(), board, title: `writer ${index} task ${i}`, status: 'todo', order: i }),
        signal: AbortSignal.timeout(30_000),
      })
      if (response.status !== 201) throw new Error(`a write answered ${response.status}`)
      writes++
      if (state === 'running' && !saidRunning) {
        saidRunning = true
        send({ type: 'running' })
      }
    } finally {
      busy--
      settle()
    }
  }
}

await Promise.all(Array.from({ length: writers }, (_, index) => writer(index)))
process.send?.({ type: 'result', writes }, () => process.exit(0))
