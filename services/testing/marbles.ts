import assert from 'node:assert/strict'
import { TestScheduler } from 'rxjs/testing'

/** A TestScheduler whose frames are compared with node:assert (for `scheduler.run`). */
export function marbleScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => assert.deepEqual(actual, expected))
}
