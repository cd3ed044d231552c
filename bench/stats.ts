/** Summary statistics of repeated measurements. */
export interface Summary {
  median: number
  p99: number
  samples: number
}

/** Nearest-rank percentile of `values` (0–100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank] as number
}

export function summarize(values: readonly number[]): Summary {
  return { median: percentile(values, 50), p99: percentile(values, 99), samples: values.length }
}

/** One printed row of the benchmark table. */
export interface Figure {
  /** Stable id in `bench/results.json`, e.g. `list.underLoad`. */
  id?: string | undefined
  /** Which of the six figures this row belongs to, e.g. `1 realtime`. */
  group: string
  name: string
  /** Median (or the single value for sizes and counts). */
  value: number
  /** p99 where the figure is a timing; `undefined` otherwise. */
  p99?: number | undefined
  /** The same measure's baseline (median) from this run, where the bar compares against one. */
  baseline?: number | undefined
  unit: string
  /** The bar from the design, in words, e.g. `p50 ≤ 10 ms, p99 ≤ 40 ms`; empty for context rows. */
  bar: string
  /** Whether the bar is met; `undefined` for baselines and context rows. */
  meets?: boolean | undefined
  samples?: number | undefined
  note?: string | undefined
}

/** Rounds for printing. */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}
