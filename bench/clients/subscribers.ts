import { DeepstreamClient } from '@deepstream/client'

/**
 * A child process holding many deepstream subscribers, so that their work
 * runs beside (not inside) the server being measured. Driven over IPC:
 * `{ type: 'expect', events }` arms a round, and every subscriber's arrival
 * times (epoch ms) are reported back once all have arrived or on timeout.
 */
const url = process.env.URL as string
const topic = process.env.TOPIC as string
const count = Number(process.env.COUNT)
const tokens = JSON.parse(process.env.TOKENS ?? '[]') as string[]

const now = () => performance.timeOrigin + performance.now()
let expected = 0
let received = 0
let last = 0
let done: (() => void) | undefined

async function connect(index: number): Promise<DeepstreamClient> {
  const client = new DeepstreamClient(url, { maxReconnectAttempts: 0 })
  client.on('error', () => undefined)
  const token = tokens.length ? tokens[index % tokens.length] : undefined
  await new Promise<void>((resolve, reject) => {
    client.login(token ? { token } : {}, (success) => (success ? resolve() : reject(new Error('login refused'))))
  })
  client.event.subscribe(topic, () => {
    received++
    last = now()
    if (received === expected) done?.()
  })
  return client
}

const clients: DeepstreamClient[] = []
for (let i = 0; i < count; i += 50) {
  clients.push(...(await Promise.all(Array.from({ length: Math.min(50, count - i) }, (_, j) => connect(i + j)))))
}
// Let the subscriptions reach the server before reporting ready.
await new Promise((resolve) => setTimeout(resolve, 500))
process.send?.({ type: 'ready' })

process.on('message', (message: { type: string; events?: number; timeoutMs?: number }) => {
  if (message.type === 'expect') {
    received = 0
    expected = count * (message.events ?? 0)
    const timer = setTimeout(() => done?.(), message.timeoutMs ?? 30_000)
    done = () => {
      clearTimeout(timer)
      done = undefined
      process.send?.({ type: 'arrived', received, last })
    }
    // Events reach this process by WebSocket, this message by IPC: a publisher
    // that waits for `armed` cannot have its first events counted before the reset.
    process.send?.({ type: 'armed' })
  } else if (message.type === 'close') {
    for (const client of clients) client.close()
    setTimeout(() => process.exit(0), 200)
  }
})
