import { cpus } from 'node:os'
import pidusage from 'pidusage'

/**
 * Where a machine's CPU went over a window: each named group of processes'
 * share (their user + system time, through `pidusage`, since
 * `process.cpuUsage` reads only one's own) and what the machine left idle
 * (`os.cpus()` times, summed over the cores).
 *
 * @example
 * const pids = { receivers: clients.map((c) => c.pid), writer: process.pid }
 * const before = await cpuReading(pids)
 * // … the window …
 * const shares = cpuShares(before, await cpuReading(pids))
 * // { processes: { receivers: 55, writer: 9 }, idle: 29 } (percent of one core; idle of all cores)
 */
export interface CpuReading {
  /** CPU time used so far by each group of processes, ms. */
  processes: Record<string, number>
  /** The machine's time so far, summed over its cores: all of it, and the idle part, ms. */
  total: number
  idle: number
}

export interface CpuShares {
  /** Each group's CPU over the window, in percent of one core. */
  processes: Record<string, number>
  /** The machine's idle time over the window, in percent of all its cores. */
  idle: number
}

type Pids = Record<string, number | undefined | Array<number | undefined>>

/** A reading now, for the processes named in `pids`; `undefined` when one cannot be read (gone, or an unsupported platform). */
export async function cpuReading(pids: Pids): Promise<CpuReading | undefined> {
  const groups = Object.entries(pids).map(([name, group]) => [name, [group].flat().filter((pid) => pid !== undefined)] as const)
  let stats: Record<string, { ctime: number }>
  try {
    stats = await pidusage(groups.flatMap(([, group]) => group))
  } catch {
    return undefined
  }
  const processes: Record<string, number> = {}
  for (const [name, group] of groups) processes[name] = group.reduce((sum, pid) => sum + (stats[pid]?.ctime ?? 0), 0)
  let total = 0
  let idle = 0
  for (const { times } of cpus()) {
    total += times.user + times.nice + times.sys + times.idle + times.irq
    idle += times.idle
  }
  return { processes, total, idle }
}

/** What happened between two readings of {@link cpuReading}. */
export function cpuShares(before: CpuReading, after: CpuReading): CpuShares {
  const elapsed = after.total - before.total
  const perCore = elapsed / cpus().length
  const processes: Record<string, number> = {}
  for (const name of Object.keys(after.processes)) {
    processes[name] = perCore > 0 ? (100 * (after.processes[name]! - (before.processes[name] ?? 0))) / perCore : 0
  }
  return { processes, idle: elapsed > 0 ? (100 * (after.idle - before.idle)) / elapsed : 0 }
}
