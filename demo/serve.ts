/**
 * `npm run dev:demo`: the bundled server plus the demo page, for working on
 * the components without `npm start`. Ctrl-C stops both.
 */
import { startStack } from '../server/stack.ts'
import { startDemoServer } from './dev-server.ts'

const stack = await startStack()
const demo = await startDemoServer({
  apiUrl: stack.apiUrl,
  realtimeUrl: stack.realtimeUrl,
  host: stack.config.host,
  port: stack.config.demoPort,
})
console.log(`rtkit demo ready demo=${demo.url} api=${stack.apiUrl} realtime=${stack.realtimeUrl}`)
console.log('Open it in two windows (add ?session=2 to the second) and sign in as alice and bob (password rtkit-demo).')

let stopping = false
async function stop(): Promise<void> {
  if (stopping) return
  stopping = true
  await demo.close()
  await stack.close()
  process.exit(0)
}
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())
