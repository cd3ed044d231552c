import { createRequire } from 'node:module'
import { getMessage } from '@deepstream/protobuf/dist/src/message-builder'
import { parse } from '@deepstream/protobuf/dist/src/message-parser'
import { AUTH_ACTION, CONNECTION_ACTION, EVENT_ACTION, TOPIC } from '@deepstream/protobuf/dist/types/all'
import { ACTIONS, type Message } from '@deepstream/protobuf/dist/types/messages'

/**
 * A child process holding thousands of deepstream sockets for the `scale`
 * figure, each signed in with its own token and subscribed to one event
 * topic. `@deepstream/client` costs too much per client for 4,000 in one
 * process (its timers, state machine and record/RPC/presence handlers on
 * every instance), so each socket is the `ws` WebSocket that client uses,
 * speaking the same protobuf messages through `@deepstream/protobuf`'s
 * builder and parser, as the client does:
 *
 *   → CONNECTION CHALLENGE (url, sdk) ← CONNECTION ACCEPT
 *   → AUTH REQUEST { token }          ← AUTH AUTH_SUCCESSFUL
 *   → EVENT SUBSCRIBE [topic]         ← EVENT SUBSCRIBE ack
 *   ← EVENT EMIT …                    (a CONNECTION PING gets a PONG)
 *   → CONNECTION PING every 20 s (the server ends a silent socket after 60 s)
 *
 * Driven over IPC by bench/figures/scale.ts:
 * - `{ type: 'open', url, sockets: [{ token, topic }] }` opens that many more
 *   (100 at a time, each bounded to 120 s, and tried up to three times as a
 *   client reconnects) and answers `opened` with how many
 *   are held, why the others failed and why attempts were retried;
 * - `{ type: 'window' }` starts a latency window, `{ type: 'report' }` ends it
 *   and answers with every write → receive time (ms) seen in it (the written
 *   document's title carries its send time, and loopback shares one clock),
 *   and per event the first and last time a socket here received it;
 * - `{ type: 'close' }` closes everything and exits.
 */
type WebSocketLike = {
  binaryType: string
  on(event: 'open', listener: () => void): void
  on(event: 'close', listener: (code: number) => void): void
  on(event: 'message', listener: (data: Buffer) => void): void
  on(event: 'error', listener: (error: Error) => void): void
  send(data: Uint8Array): void
  close(): void
  terminate(): void
}
type WebSocketClass = new (url: string, options?: { perMessageDeflate?: boolean }) => WebSocketLike

// The `ws` that @deepstream/client itself opens its sockets with.
const clientRequire = createRequire(createRequire(import.meta.url).resolve('@deepstream/client'))
const WebSocket = clientRequire('ws') as WebSocketClass

const CONCURRENCY = 100
/** Generous: on a loaded shared machine a sign-in can wait long for the node's turn on a core. */
const OPEN_TIMEOUT_MS = 120_000
const now = () => performance.timeOrigin + performance.now()

/**
 * How often each socket pings, ms. deepstream's HTTP service terminates a
 * socket it has heard nothing from for twice its heartbeat interval (30 s);
 * the client pings every 30 s, these every 20.
 */
const PING_EVERY_MS = 20_000
const pong = getMessage({ topic: TOPIC.CONNECTION, action: CONNECTION_ACTION.PONG } as Message, false)
const ping = getMessage({ topic: TOPIC.CONNECTION, action: CONNECTION_ACTION.PING } as Message, false)
const held = new Set<WebSocketLike>()
let dropped = 0
/** Why sockets that had subscribed closed, by close code. */
const drops: Record<string, number> = {}
let received = 0
let latencies: number[] = []
/** Per event (its send time), the first and last time a socket here received it: the fan-out's own spread. */
let arrivals = new Map<number, [number, number]>()

/** Send time from the JSON text of a bridge event `{ op, version, doc: { title: 'scale <ms>' } }`. */
function sentAt(text: string | undefined): number | undefined {
  const match = text === undefined ? null : /"title":"scale (\d+(?:\.\d+)?)"/.exec(text)
  return match ? Number(match[1]) : undefined
}

/**
 * The send time of one of the figure's events on `topic`, read straight from
 * the frame's bytes: an event's topic name and its JSON data are plain
 * strings inside deepstream's protobuf message (a topic name is under 128
 * bytes here). Decoding the protobuf for each of 18,000 arrivals a second
 * cost these processes CPU that the node they measure shares; anything else
 * is decoded in full.
 */
function eventSentAt(raw: Buffer, topic: string): number | undefined {
  const text = raw.toString('latin1')
  // A protobuf string is its length (one byte below 128) and its bytes.
  return text.includes(String.fromCharCode(topic.length) + topic) ? sentAt(text) : undefined
}

function arrived(sent: number): void {
  received++
  const at = now()
  latencies.push(at - sent)
  const seen = arrivals.get(sent)
  if (seen) seen[1] = at
  else arrivals.set(sent, [at, at])
}

function openOne(url: string, token: string, topic: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false })
    let subscribed = false
    const fail = (reason: string) => {
      clearTimeout(timer)
      socket.terminate()
      reject(new Error(reason))
    }
    const timer = setTimeout(() => fail('timed out'), OPEN_TIMEOUT_MS)
    const send = (message: Partial<Message> & { parsedData?: unknown }) => socket.send(getMessage(message as Message, false))
    socket.on('error', (error) =>
      subscribed ? undefined : fail(`socket error: ${(error as NodeJS.ErrnoException).code ?? error.message}`),
    )
    socket.on('close', (code) => {
      if (!subscribed) return fail('closed before it subscribed')
      if (!held.delete(socket)) return
      dropped++
      const reason = `closed by the server after subscribing (code ${code})`
      drops[reason] = (drops[reason] ?? 0) + 1
    })
    socket.on('open', () =>
      send({
        topic: TOPIC.CONNECTION,
        action: CONNECTION_ACTION.CHALLENGE,
        url,
        protocolVersion: '0.1a',
        sdkVersion: '7.0.5',
        sdkType: 'javascript',
      } as Partial<Message>),
    )
    socket.on('message', (raw) => {
      const sent = subscribed ? eventSentAt(raw, topic) : undefined
      if (sent !== undefined) return arrived(sent)
      for (const message of parse(raw) as Array<Message & { isAck?: boolean }>) {
        if (message.topic === TOPIC.EVENT && message.action === EVENT_ACTION.EMIT) {
          const sent = sentAt(message.data as string | undefined)
          if (sent === undefined) received++
          else arrived(sent)
        } else if (message.topic === TOPIC.CONNECTION && message.action === CONNECTION_ACTION.PING) {
          socket.send(pong)
        } else if (message.topic === TOPIC.CONNECTION && message.action === CONNECTION_ACTION.ACCEPT) {
          send({ topic: TOPIC.AUTH, action: AUTH_ACTION.REQUEST, parsedData: { token } })
        } else if (message.topic === TOPIC.AUTH && message.action === AUTH_ACTION.AUTH_SUCCESSFUL) {
          send({ topic: TOPIC.EVENT, action: EVENT_ACTION.SUBSCRIBE, names: [topic], correlationId: '0' } as Partial<Message>)
        } else if (message.topic === TOPIC.EVENT && message.action === EVENT_ACTION.SUBSCRIBE && message.isAck) {
          subscribed = true
          clearTimeout(timer)
          held.add(socket)
          resolve()
        } else if (!subscribed) {
          fail(
            `refused: ${TOPIC[message.topic]} ${(ACTIONS as unknown as Record<number, Record<number, string>>)[message.topic]?.[message.action] ?? message.action}`,
          )
        }
      }
    })
  })
}

/** Attempts per socket: a refused or timed-out socket tries again, as the deepstream client reconnects. */
const ATTEMPTS = 3

async function open(
  url: string,
  sockets: Array<{ token: string; topic: string }>,
): Promise<{ failures: Record<string, number>; retried: Record<string, number> }> {
  const failures: Record<string, number> = {}
  const retried: Record<string, number> = {}
  let next = 0
  const worker = async () => {
    while (next < sockets.length) {
      const { token, topic } = sockets[next++]!
      for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
        try {
          await openOne(url, token, topic)
          break
        } catch (error) {
          const reason = (error as Error).message
          const tally = attempt < ATTEMPTS ? retried : failures
          tally[reason] = (tally[reason] ?? 0) + 1
        }
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  return { failures, retried }
}

/**
 * Pings spread evenly over time, as independent clients' timers are: every
 * 50 ms a 400th of the sockets, so each pings every 20 s. Not a 20th of them
 * once a second: a burst of hundreds of pings makes the node answer hundreds
 * of pongs at once, and the events behind them wait, which no real crowd of
 * clients does.
 */
const PING_TICK_MS = 50
const PING_SLOTS = PING_EVERY_MS / PING_TICK_MS
let tick = 0
setInterval(() => {
  let i = 0
  const slot = tick++ % PING_SLOTS
  for (const socket of held) if (i++ % PING_SLOTS === slot) socket.send(ping)
}, PING_TICK_MS).unref()

process.on('message', (message: { type: string; url?: string; sockets?: Array<{ token: string; topic: string }> }) => {
  if (message.type === 'open') {
    void open(message.url!, message.sockets!).then(({ failures, retried }) =>
      process.send?.({ type: 'opened', held: held.size, dropped, failures, retried }),
    )
  } else if (message.type === 'window') {
    latencies = []
    arrivals = new Map()
    received = 0
    process.send?.({ type: 'windowed' })
  } else if (message.type === 'report') {
    process.send?.({ type: 'report', held: held.size, dropped, drops, received, latencies, arrivals: [...arrivals] })
    latencies = []
    arrivals = new Map()
  } else if (message.type === 'close') {
    for (const socket of held) socket.terminate()
    held.clear()
    setTimeout(() => process.exit(0), 100)
  }
})
process.on('disconnect', () => process.exit(0))
process.send?.({ type: 'ready' })
