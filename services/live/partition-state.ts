import type { Doc } from '../../contracts/index.ts'
import type { PartitionRef } from '../gateways/http-gateway.ts'
import { IdMap } from './id-map.ts'

/** A refetch in progress: pages so far, and the ids events touched since it began. */
export interface FetchInProgress {
  readonly pages: readonly Doc[]
  readonly touched: Readonly<Record<string, true>>
}

/**
 * What the client knows of one partition of a collection. `docs` is the
 * server's truth as far as seen; `tombstones` remember the version at which
 * a document was removed, so a late, older upsert cannot bring it back.
 * Both are {@link IdMap}s: one change copies two flat arrays, not a
 * 5,000-key object.
 */
export interface PartitionState {
  readonly ref: PartitionRef
  readonly docs: IdMap<Doc>
  readonly tombstones: IdMap<number>
  /** `forbidden`: the server refused to read it (403), e.g. the token's `access` claim does not grant it. */
  readonly status: 'loading' | 'ready' | 'error' | 'forbidden'
  /** Set while a fetch runs; see `live/merge.ts`. */
  readonly fetch: FetchInProgress | null
  /** Whether a full fetch has completed since the partition was opened (or the user changed). */
  readonly loaded: boolean
  /** Live queries currently watching (the state is dropped when it reaches 0). */
  readonly watchers: number
}

/** An empty partition, about to load. */
export function emptyPartition(ref: PartitionRef): PartitionState {
  return { ref, docs: IdMap.empty(), tombstones: IdMap.empty(), status: 'loading', fetch: null, loaded: false, watchers: 0 }
}
