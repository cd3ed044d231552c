import { fork } from 'node:child_process'
import { round, summarize, type Figure } from '../stats.ts'

const TASKS = 5000
const CHANGES = 400

/**
 * The services pipeline alone (in Node, in a process of its own, on
 * in-memory gateways): one remote change on a 5,000-task board watched as
 * `<rt-task-board>` watches it, from the realtime event entering the kit to
 * the sorted board reaching the subscriber (store → reducer → selector →
 * sorted view). Renames, moves, inserts and removes in turn.
 */
export async function servicesPipeline(): Promise<Figure[]> {
  const child = fork(new URL('../clients/services-pipeline.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, TASKS: String(TASKS), CHANGES: String(CHANGES) },
  })
  const timings = await new Promise<number[]>((resolve, reject) => {
    const timer = setTimeout(() => (child.kill(), reject(new Error('the services pipeline did not finish in 60 s'))), 60_000)
    child.on('message', (message: { type: string; timings: number[] }) => {
      if (message.type !== 'result') return
      clearTimeout(timer)
      resolve(message.timings)
    })
    child.on('exit', (code) => code && reject(new Error(`the services pipeline exited with ${code}`)))
  })
  const change = summarize(timings)
  return [
    {
      id: 'services.change5k',
      group: '5 render',
      name: `services pipeline: one remote change on a ${TASKS.toLocaleString('en')}-task board (Node)`,
      value: round(change.median, 3),
      p99: round(change.p99, 3),
      unit: 'ms',
      bar: '≤ 1 ms',
      limit: 1,
      meets: change.median <= 1,
      samples: change.samples,
    },
  ]
}
