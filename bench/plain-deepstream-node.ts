import { startPlainDeepstream } from './plain-deepstream.ts'

/**
 * A plain deepstream (bench/plain-deepstream.ts) in a process of its own, for
 * the `scale` figure's plain run: its own open-files limit, and its CPU apart
 * from the figure's. Answers `ready` with its URL; `{ type: 'stop' }`, or the
 * figure's process going away, stops it.
 */
const plain = await startPlainDeepstream()
const stop = () => void plain.close().finally(() => process.exit(0))
process.on('message', (message: { type: string }) => {
  if (message.type === 'stop') stop()
})
process.on('disconnect', stop)
process.send?.({ type: 'ready', url: plain.url })
