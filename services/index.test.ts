import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import * as services from './index.ts'
// Type-only names the component layer uses: if one stops being exported, `tsc --noEmit` fails here.
import type {
  Command,
  CommandReceipt,
  ConnectionStatus,
  Kit,
  KitError,
  KitOptions,
  LiveDoc,
  PendingCommand,
  QueryStatus,
  SessionStatus,
  SessionView,
} from './index.ts'

/** Referencing every imported type keeps the import from being dropped as unused. */
export type ComponentFacingTypes = [
  Command,
  CommandReceipt,
  ConnectionStatus,
  Kit,
  KitError,
  KitOptions,
  LiveDoc,
  PendingCommand,
  QueryStatus,
  SessionStatus,
  SessionView,
]

describe('services/index.ts (the public boundary)', () => {
  it('exports the values components use, so they never reach into services/ subfolders', () => {
    for (const name of ['createKit', 'MemoryStorage', 'SessionStatus', 'ConnectionStatus', 'QueryStatus', 'PendingState', 'CommandOp']) {
      assert.ok(name in services, `${name} is exported`)
    }
  })
})
