import { ConfigError } from './config.ts'
import { startStack } from './stack.ts'

/**
 * `npm start`: runs the bundled server and prints one ready line that scripts
 * and tests wait for. SIGINT/SIGTERM stop everything and exit 0.
 */
async function main(): Promise<void> {
  const stack = await startStack()
  const parts = [`api=${stack.apiUrl}`, `realtime=${stack.realtimeUrl}`]
  console.log(`rtkit ready ${parts.join(' ')}`)
  if (stack.embedded) console.log(`database: embedded (in memory) at ${stack.databaseUrl}`)

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`rtkit stopping (${signal})`)
    await stack.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `configuration error: ${error.message}` : error)
  process.exit(1)
})
