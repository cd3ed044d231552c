import type { Doc } from '../../contracts/index.ts'
import type { PartitionRef } from '../gateways/http-gateway.ts'

/** The partition most tests use. */
export const launch: PartitionRef = { collection: 'tasks', key: 'board', value: 'launch' }

/** A task document at `version`, with a title that shows the version. */
export function task(id: string, version: number, fields: Record<string, unknown> = {}): Doc {
  return {
    id,
    version,
    board: 'launch',
    title: `${id} v${version}`,
    status: 'todo',
    order: 1,
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
    createdBy: 'alice',
    ...fields,
  } as Doc
}
