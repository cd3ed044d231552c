/**
 * The writers of the write-throughput figure (`write`, `write.baseline`), in
 * a process of their own like the other loads, so that neither server shares
 * its event loop with the client measuring it. The parent names a URL per
 * round (rtkit's API, then the bare server, in turn); `WRITERS` concurrent
 * writers post `PER_WRITER` task bodies each, and the process answers with
 * the rate, every latency and the ids of the writes answered 201 (which the
 * parent then looks for in the database). Over IPC: `{ type: 'round', url,
 * expect }` → `{ type: 'done', perSecond, latencies, ids }` (or `error`);
 * `stop` ends the process, and so does its deadline.
 */
export {}

const token = process.env.TOKEN as string
const board = process.env.BOARD as string
const writers = Number(process.env.WRITERS)
const perWriter = Number(process.env.PER_WRITER)
/** Safety net: stop by itself even if the parent never says so. */
setTimeout(() => process.exit(1), Number(process.env.MAX_MS)).unref()

async function round(url: string, expect: number): Promise<{ perSecond: number; latencies: number[]; ids: string[] }> {
  const latencies: number[] = []
  const ids: string[] = []
  const started = performance.now()
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let i = 0; i < perWriter; i++) {
        const id = crypto.randomUUID()
        const t0 = performance.now()
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ id, board, title: `w${writer}-${i}`, status: 'todo', order: i }),
          signal: AbortSignal.timeout(10_000),
        })
        await response.text()
        if (response.status !== expect) throw new Error(`a write answered ${response.status}, not ${expect}`)
        latencies.push(performance.now() - t0)
        ids.push(id)
      }
    }),
  )
  return { perSecond: (writers * perWriter) / ((performance.now() - started) / 1000), latencies, ids }
}

process.on('message', (message: { type: string; url?: string; expect?: number }) => {
  if (message.type === 'stop') process.exit(0)
  if (message.type !== 'round') return
  round(message.url!, message.expect!).then(
    (result) => process.send?.({ type: 'done', ...result }),
    (error: unknown) => process.send?.({ type: 'done', error: String(error) }),
  )
})
