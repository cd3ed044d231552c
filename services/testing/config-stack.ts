import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before } from 'node:test'
import type { Subscription } from 'rxjs'
// Test support may start the bundled server in-process; services source never imports server code.
import { startStack, type Stack } from '../../server/stack.ts'
import { testEnv } from '../../server/testing/test-env.ts'
import type { Kit } from '../kit.ts'

/** What {@link stackWithConfig} gives a suite. */
export interface ConfigStack {
  /** The running server; set once the suite's `before` has run. */
  stack: Stack
  /** Kits to dispose after the suite. */
  readonly kits: Kit[]
  /** Subscriptions to end after the suite (live queries kept open as a mounted component would). */
  readonly held: Subscription[]
}

/**
 * For a `describe()`: the bundled server started before its tests with
 * `config` as the operator's `rtkit.config.mjs`, and stopped after them,
 * with the suite's kits and subscriptions.
 */
export function stackWithConfig(config: string): ConfigStack {
  const folder = mkdtempSync(join(tmpdir(), 'rtkit-config-stack-'))
  const fixture = { stack: undefined as unknown as Stack, kits: [] as Kit[], held: [] as Subscription[] }
  before(async () => {
    writeFileSync(join(folder, 'rtkit.config.mjs'), config)
    fixture.stack = await startStack(testEnv({ RTKIT_CONFIG: join(folder, 'rtkit.config.mjs') }))
  })
  after(async () => {
    for (const subscription of fixture.held) subscription.unsubscribe()
    for (const kit of fixture.kits) await kit.dispose()
    await fixture.stack?.close()
    rmSync(folder, { recursive: true, force: true })
  })
  return fixture
}
