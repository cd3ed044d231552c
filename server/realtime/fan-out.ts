import type { Message } from '@deepstream/protobuf/dist/types/messages'
import { getMessage } from '@deepstream/protobuf/dist/src/message-builder'
import { STATE_REGISTRY_TOPIC, TOPIC } from '@deepstream/protobuf/dist/types/all'
import type { DeepstreamServices, SocketWrapper } from '@deepstream/types'

/** deepstream's registry of event subscriptions: the names cluster-wide, the subscribers on this node. */
export function eventSubscriptions(services: DeepstreamServices) {
  return services.subscriptions.getSubscriptionRegistry(TOPIC.EVENT, STATE_REGISTRY_TOPIC.EVENT_SUBSCRIPTIONS)
}

/**
 * An event emit to this node's subscribers of `topic` (the message's name),
 * counted for monitoring as deepstream's `sendToSubscribers` counts it, and
 * never sent on over the cluster bus: the node's own emits (the in-process
 * bridge) and those arriving from other nodes both end here.
 */
export function emitToLocalSubscribers(services: DeepstreamServices, topic: string, message: Message): void {
  const subscribers = eventSubscriptions(services).getLocalSubscribers(topic)
  services.monitoring.onBroadcast(message, subscribers.size)
  sendToLocalSubscribers(subscribers, message)
}

/**
 * Sends one event to this node's subscribers of its topic: what deepstream's
 * `sendToSubscribers` does for an event, with the per-socket work that does
 * not depend on the socket done once.
 *
 * Why by hand: at 18,000 sockets an event reaches about 180 of them, and
 * deepstream's loop costs more than its system calls need.
 * - It builds two debug log lines per socket, one of them turning the whole
 *   message into a string, which the logger then drops.
 * - `ws` frames the same message again for each socket (a header buffer, then
 *   a cork, two writes and an uncork: a `writev` of two buffers). A frame a
 *   server sends is not masked, so every subscriber's frame is the same bytes.
 *
 * Here the message is encoded and framed once, and each socket gets one
 * `write` of that buffer. Only for deepstream's binary WebSocket sockets with
 * no extension (rtkit's endpoint: `ws` negotiates no compression unless asked
 * to): any other socket gets deepstream's own send. No library offers a
 * broadcast on `ws`'s sockets; the frame layout is RFC 6455, section 5.2.
 *
 * Reads two private fields of `ws` 7 (`_socket`, `_extensions`), pinned by the
 * lockfile; `fan-out.test.ts` fails if either goes.
 */
export function sendToLocalSubscribers(subscribers: ReadonlySet<SocketWrapper>, message: Message): number {
  let frame: Buffer | undefined
  let sent = 0
  for (const subscriber of subscribers) {
    if (subscriber.isClosed) continue
    const socket = framedSocketOf(subscriber)
    if (socket) socket.write((frame ??= binaryFrame(getMessage(message, false))))
    else subscriber.sendBuiltMessage!(subscriber.getMessage(message), true)
    sent++
  }
  return sent
}

/** What rtkit reads of a `ws` 7 WebSocket. */
interface WsSocket {
  readyState: number
  _socket?: { write(data: Buffer): boolean; writable: boolean }
  _extensions?: Record<string, unknown>
}

const OPEN = 1

/** The TCP socket under `subscriber`'s WebSocket, when a frame may be written straight to it. */
function framedSocketOf(subscriber: SocketWrapper): WsSocket['_socket'] | undefined {
  if ((subscriber as { socketType?: string }).socketType !== 'wsBinary') return undefined
  const ws = (subscriber as unknown as { socket?: WsSocket }).socket
  if (!ws || ws.readyState !== OPEN || !ws._socket?.writable) return undefined
  if (!ws._extensions || Object.keys(ws._extensions).length > 0) return undefined
  return ws._socket
}

/** One unmasked, final, binary WebSocket frame carrying `payload`. */
function binaryFrame(payload: Uint8Array): Buffer {
  const length = payload.length
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10
  const frame = Buffer.allocUnsafe(header + length)
  frame[0] = 0x82 // FIN, opcode 2 (binary)
  if (header === 2) frame[1] = length
  else if (header === 4) {
    frame[1] = 126
    frame.writeUInt16BE(length, 2)
  } else {
    frame[1] = 127
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2)
    frame.writeUInt32BE(length >>> 0, 6)
  }
  frame.set(payload, header)
  return frame
}
