// A whole stack whose embedded database thread then stops unasked (as an
// uncaught error in the engine would stop it): the process must log it and
// exit 1 (server/db/embedded-thread.test.ts runs this as a child process).
import { startStack } from '../stack.ts'
import { testEnv } from './test-env.ts'

const stack = await startStack(testEnv())
console.log('terminating the database thread')
await stack.embedded!.worker.terminate()
// The stack exits the process; this keeps it from ending on its own before that.
setTimeout(() => {
  console.log('the process is still running')
  process.exit(0)
}, 30_000)
