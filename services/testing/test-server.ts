// Test-only: starting the bundled server in-process. Services source never imports server code.
import { startStack, type Stack } from '../../server/stack.ts'

/** The bundled server on ephemeral 127.0.0.1 ports, seeded with the demo users, board and room. */
export function startTestServer(): Promise<Stack> {
  return startStack({
    ...process.env,
    RTKIT_ENV: 'test',
    RTKIT_SEED: 'true',
    RTKIT_HOST: '127.0.0.1',
    RTKIT_API_PORT: '0',
    RTKIT_REALTIME_PORT: '0',
    RTKIT_RETHINKDB_URL: '',
  })
}
