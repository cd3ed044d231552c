/**
 * A child process of clients that page through one partition over and over,
 * the way a live query loads a large board, until the parent says stop. It
 * runs beside the server being measured, so its JSON parsing does not share
 * the server's event loop. Reports the pages it fetched over IPC.
 */
export {}

const apiUrl = process.env.API_URL as string
const token = process.env.TOKEN as string
const board = process.env.BOARD as string
const clients = Number(process.env.CLIENTS)
const pageSize = Number(process.env.PAGE_SIZE)
/** Safety net: stop by itself even if the parent never says so. */
const deadline = Date.now() + Number(process.env.MAX_MS)

let stopping = false
process.on('message', (message: { type: string }) => {
  if (message.type === 'stop') stopping = true
})

async function pageThrough(): Promise<number> {
  let pages = 0
  let cursor: string | null = null
  do {
    const query = new URLSearchParams({ board, limit: String(pageSize), ...(cursor ? { cursor } : {}) })
    const response = await fetch(`${apiUrl}/collections/tasks?${query}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(30_000),
    })
    if (response.status !== 200) throw new Error(`paging answered ${response.status}`)
    const page = (await response.json()) as { items: unknown[]; nextCursor: string | null }
    cursor = page.nextCursor
    pages++
  } while (cursor && !stopping)
  return pages
}

async function client(): Promise<number> {
  let pages = 0
  while (!stopping && Date.now() < deadline) pages += await pageThrough()
  return pages
}

const running = Array.from({ length: clients }, () => client())
process.send?.({ type: 'started' })
const pages = (await Promise.all(running)).reduce((sum, n) => sum + n, 0)
process.send?.({ type: 'result', pages }, () => process.exit(0))
