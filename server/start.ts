import { dataLines } from './data-location.ts'
import { runMain, trapStopSignals } from './lib/process-lifecycle.ts'
import { startStack } from './stack.ts'

/**
 * The bundled server alone (no demo page): prints one ready line that
 * scripts and tests wait for. SIGINT/SIGTERM stop everything and exit 0.
 * `npm start` (scripts/start.ts) runs this plus the demo page.
 */
runMain(async () => {
  const stopWith = trapStopSignals()
  const stack = await startStack()
  console.log(`rtkit ready api=${stack.apiUrl} realtime=${stack.realtimeUrl}`)
  for (const line of dataLines(stack)) console.log(line)
  stopWith(stack.close)
})
