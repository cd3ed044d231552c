import { readFileSync } from 'node:fs'
import { cpus } from 'node:os'

/**
 * Where a machine's CPU went over a window: each named process's share and
 * what was left idle, from Linux's `/proc` (no package reads another
 * process's CPU time; `process.cpuUsage` reads only one's own). Elsewhere
 * `cpuTicks` answers `undefined` and the figures say nothing of it.
 *
 * @example
 * const before = cpuTicks({ node: node.pid, receivers: clients.map((c) => c.pid) })
 * // … the window …
 * const shares = cpuShares(before, cpuTicks(pids))
 * // { processes: { node: 63, receivers: 71 }, idle: 12 } (percent of one core; idle of all cores)
 */
export interface CpuTicks {
  /** Clock ticks used so far by each group of processes. */
  processes: Record<string, number>
  /** The machine's ticks so far, summed over its cores: all of them, and the idle ones. */
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

/** Ticks now, for the processes named in `pids`; `undefined` off Linux. A process gone counts as 0. */
export function cpuTicks(pids: Pids): CpuTicks | undefined {
  let stat: string
  try {
    stat = readFileSync('/proc/stat', 'utf8')
  } catch {
    return undefined
  }
  // cpu  user nice system idle iowait irq softirq steal …
  const fields = stat.slice(0, stat.indexOf('\n')).trim().split(/\s+/).slice(1).map(Number)
  const total = fields.slice(0, 8).reduce((sum, ticks) => sum + ticks, 0)
  const idle = fields[3]! + fields[4]!
  const processes: Record<string, number> = {}
  for (const [name, group] of Object.entries(pids)) {
    processes[name] = [group].flat().reduce<number>((sum, pid) => sum + (pid === undefined ? 0 : processTicks(pid)), 0)
  }
  return { processes, total, idle }
}

/** What happened between two readings of {@link cpuTicks}. */
export function cpuShares(before: CpuTicks, after: CpuTicks): CpuShares {
  const elapsed = after.total - before.total
  const perCore = elapsed / cpus().length
  const processes: Record<string, number> = {}
  for (const name of Object.keys(after.processes)) {
    processes[name] = perCore > 0 ? (100 * (after.processes[name]! - (before.processes[name] ?? 0))) / perCore : 0
  }
  return { processes, idle: elapsed > 0 ? (100 * (after.idle - before.idle)) / elapsed : 0 }
}

/** User and system ticks of one process: fields 14 and 15 of `/proc/<pid>/stat`, counted after its `(name)`. */
function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // `after` starts at field 3 (the state).
    return Number(after[11]) + Number(after[12])
  } catch {
    return 0
  }
}
