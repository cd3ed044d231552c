/**
 * A wrong-password flood, in a process of its own: CONCURRENCY loops post
 * POST /auth/login for USERNAME with a wrong password to API_URL, until told
 * to stop or MAX_MS has passed, then report how they were answered.
 */
const url = `${process.env.API_URL}/auth/login`
const concurrency = Number(process.env.CONCURRENCY ?? 32)
const deadline = Date.now() + Number(process.env.MAX_MS ?? 60_000)
const body = JSON.stringify({ username: process.env.USERNAME ?? 'alice', password: 'not the password at all' })
const answers: Record<string, number> = {}
let stopped = false

process.on('message', (message: { type: string }) => {
  if (message.type === 'stop') stopped = true
})

async function loop(): Promise<void> {
  while (!stopped && Date.now() < deadline) {
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
