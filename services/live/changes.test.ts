import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { launch, task } from '../testing/fixtures.ts'
import { diffPartition } from './changes.ts'
import { IdMap } from './id-map.ts'
import { emptyPartition, type PartitionState } from './partition-state.ts'

function partition(docs: ReturnType<typeof task>[], tombstones: Record<string, number> = {}): PartitionState {
  return {
    ...emptyPartition(launch),
    loaded: true,
    status: 'ready',
    docs: IdMap.from(docs.map((doc) => [doc.id, doc])),
    tombstones: IdMap.from(Object.entries(tombstones)),
  }
}

const brief = (diffs: ReturnType<typeof diffPartition>) =>
  diffs.map((diff) => `${diff.op} ${diff.id}@${diff.version}<${diff.previousVersion ?? '-'}`)

describe('diffPartition', () => {
  it('reports new, changed and removed documents with their previous version', () => {
    const t1 = task('t1', 1)
    const before = partition([t1, task('t2', 4)])
    const after = partition([task('t1', 2), task('t3', 1)], { t2: 5 })
    assert.deepEqual(brief(diffPartition(before, after)), ['upsert t1@2<1', 'remove t2@5<4', 'upsert t3@1<-'])
    const [changed] = diffPartition(before, after)
    assert.equal(changed!.previous, t1)
  })

  it('ignores an equal copy of the same version (a refetch), and looks only at the given ids', () => {
    const before = partition([task('t1', 1), task('t2', 1)])
    const after = partition([task('t1', 1), task('t2', 2)])
    assert.deepEqual(brief(diffPartition(before, after)), ['upsert t2@2<1'])
    assert.deepEqual(brief(diffPartition(before, after, ['t1'])), [])
  })

  it('gives a removal without a tombstone the last known version', () => {
    assert.deepEqual(brief(diffPartition(partition([task('t1', 3)]), partition([]))), ['remove t1@3<3'])
  })
})
