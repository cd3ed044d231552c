import { fork } from 'node:child_process'
import type { TestStack } from '../../server/testing/test-stack.ts'
import { round, summarize, type Figure } from '../stats.ts'

const WRITES = 40

type Stage = 'http' | 'changefeed' | 'deepstream' | 'kit'

const STAGES: Array<[Stage, string]> = [
  ['http', 'command confirmed (POST → gateway → handler → RethinkDB → response)'],
  ['changefeed', 'a changefeed of the tasks table shows the row'],
  ['deepstream', "a reader's plain deepstream client has the bridge's event"],
  ['kit', "the reader's live query emits the task"],
]

/**
 * Figure 1, context: where the milliseconds of one realtime write go, from
 * one writing kit to one reading kit, one write at a time (see
 * `bench/clients/realtime-path.ts`). Each stage is the time since the write
 * was issued; the difference between two stages is what lies between them.
 */
export async function realtimePath(stack: TestStack): Promise<Figure[]> {
  const child = fork(new URL('../clients/realtime-path.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      API_URL: stack.apiUrl,
      REALTIME_URL: stack.realtimeUrl,
      DATABASE: JSON.stringify(stack.config.database),
      WRITES: String(WRITES),
    },
  })
  const stages = await new Promise<Record<Stage, number[]>>((resolve, reject) => {
    const timer = setTimeout(() => (child.kill(), reject(new Error('path client did not finish in 120 s'))), 120_000)
    child.on('message', (message: { type: string; stages: Record<Stage, number[]> }) => {
      if (message.type !== 'result') return
      clearTimeout(timer)
      resolve(message.stages)
    })
    child.on('exit', (code) => code && reject(new Error(`path client exited with ${code}`)))
  })
  return STAGES.map(([stage, name]) => {
    const summary = summarize(stages[stage])
    return {
      id: `realtime.path.${stage}`,
      group: '1 realtime',
      name: `path, one writer → one reader: ${name}`,
      value: round(summary.median),
      p99: round(summary.p99),
      unit: 'ms after the write',
      bar: 'context',
      samples: summary.samples,
    }
  })
}
