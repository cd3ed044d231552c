/**
 * A child process that pages through one board on request, the way a live
 * query loads a large board: on "pass" it fetches every page once and
 * answers "passed" with the whole pass's time and each page's. It runs
 * beside the server being measured, so its JSON parsing does not share the
 * server's event loop.
 */
export {}

const apiUrl = process.env.API_URL as string
const token = process.env.TOKEN as string
const board = process.env.BOARD as string
const pageSize = Number(process.env.PAGE_SIZE)

async function pass(): Promise<{ ms: number; pages: number[]; items: number }> {
  const pages: number[] = []
  let items = 0
  let cursor: string | null = null
  const started = performance.now()
  do {
    const query = new URLSearchParams({ board, limit: String(pageSize), ...(cursor ? { cursor } : {}) })
    const t0 = performance.now()
    const response = await fetch(`${apiUrl}/collections/tasks?${query}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(30_000),
    })
    if (response.status !== 200) throw new Error(`paging answered ${response.status}`)
    const page = (await response.json()) as { items: unknown[]; nextCursor: string | null }
    pages.push(performance.now() - t0)
    items += page.items.length
    cursor = page.nextCursor
  } while (cursor)
  return { ms: performance.now() - started, pages, items }
}

process.on('message', (message: { type: string }) => {
  if (message.type === 'pass')
    void pass().then(
      (result) => process.send?.({ type: 'passed', ...result }),
      (error: unknown) => process.send?.({ type: 'passed', error: String(error) }),
    )
  else if (message.type === 'stop') process.exit(0)
})
process.send?.({ type: 'started' })
