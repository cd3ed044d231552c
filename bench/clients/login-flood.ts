/**
 * A wrong-password flood, in a process of its own: CONCURRENCY loops post
 * POST /auth/login for USERNAME with a wrong password to API_URL, until told
 * to stop or MAX_MS has passed, then report how they were answered. Told
 * `pause`, each loop finishes the request it has under way and waits, and
 * `paused` says when all of them wait; `resume` sets them going again (the
 * figure measures its idle baseline in the pauses, round by round).
 */
const url = `${process.env.API_URL}/auth/login`
const concurrency = Number(process.env.CONCURRENCY ?? 32)
const deadline = Date.now() + Number(process.env.MAX_MS ?? 60_000)
const body = JSON.stringify({ username: process.env.USERNAME ?? 'alice', password: 'not the password at all' })
const answers: Record<string, number> = {}
let stopped = false
/** While paused: the promise the loops wait on, and its resolver. */
let pause: { resumed: Promise<void>; resume: () => void; waiting: number } | undefined

process.on('message', (message: { type: string }) => {
  if (message.type === 'stop') {
    stopped = true
    pause?.resume()
  } else if (message.type === 'pause' && !pause) {
    let resume = () => {}
    const resumed = new Promise<void>((resolve) => (resume = resolve))
    pause = { resumed, resume, waiting: 0 }
  } else if (message.type === 'resume' && pause) {
    const { resume } = pause
    pause = undefined
    resume()
  }
})

async function loop(): Promise<void> {
  while (!stopped && Date.now() < deadline) {
    if (pause) {
      const current = pause
      if (++current.waiting === concurrency) process.send?.({ type: 'paused' })
      await current.resumed
      continue
    }
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(10_000),
      })
      await response.arrayBuffer()
      answers[response.status] = (answers[response.status] ?? 0) + 1
    } catch {
      answers.error = (answers.error ?? 0) + 1
    }
  }
}

const loops = Array.from({ length: concurrency }, loop)
process.send?.({ type: 'started' })
await Promise.all(loops)
process.send?.({ type: 'result', answers })
process.exit(0)
export {}
