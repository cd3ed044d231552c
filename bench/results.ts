import type { Figure } from './stats.ts'

/** The 1, 5 and 15 minute load averages (`os.loadavg()`), rounded. */
export type LoadAverage = [number, number, number]

/** One section of `bench/run.ts` as it ran: how long, and how loaded the machine was around it. */
export interface SectionRun {
  name: string
  seconds: number
  /** `os.loadavg()` when the section started and when it ended: a loaded run reads differently from an idle one. */
  loadavg: { start: LoadAverage; end: LoadAverage }
}

/** One point of the `scale` curve: N sockets held on one realtime node. */
export interface ScalePoint {
  sockets: number
  /** Server memory growth per socket after GC (heap + external), KB. */
  socketKB: number
  /** Write → receive p99, ms. */
  p99: number
  /** The node's CPU over the window, percent of one core. */
  cpu?: number | undefined
  /** The machine's idle time over the window, percent of all its cores; absent when it could not be read. */
  machineIdle?: number | undefined
}

/** What `npm run bench` writes to `bench/results.json`, and what `bench/report.html` is drawn from. */
export interface BenchResults {
  at: string
  node: string
  cpus: number
  sections: SectionRun[]
  figures: Figure[]
  /** The `scale` curve, once a scale figure measures one; the report shows a placeholder without it. */
  scale?: ScalePoint[] | undefined
}
