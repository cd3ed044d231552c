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

/** Where a fan-out figure's tail comes from: see {@link tailOf}. */
export interface Tail {
  /** The latency to the first receiver of each write: the write's way there. */
  first: Summary
  /** From the first receiver to the last of each write: the fan-out. */
  spread: Summary
  /** The slowest 1 % of all deliveries (at least one), and how many writes they come from. */
  slowest: number
  slowestFrom: number
  writes: number
}

/**
 * The anatomy of a fan-out's latencies, given each write's latencies in
 * order of arrival: whether its p99 comes from a wide spread in every write
 * or from a few writes that were late as a whole (a pause on the write's way).
 *
 * @example
 * tailOf([[3, 4, 5], [3, 4, 12]]) // slowest 1 delivery, from 1 write; first median 3, spread p99 9
 */
export function tailOf(perWrite: readonly (readonly number[])[]): Tail {
  const written = perWrite.filter((latencies) => latencies.length > 0)
  const deliveries = written.flatMap((latencies, write) => latencies.map((latency) => ({ latency, write })))
  const slowest = deliveries.sort((a, b) => b.latency - a.latency).slice(0, Math.max(1, Math.ceil(deliveries.length / 100)))
  return {
    first: summarize(written.map((latencies) => latencies[0]!)),
    spread: summarize(written.map((latencies) => latencies.at(-1)! - latencies[0]!)),
    slowest: slowest.length,
    slowestFrom: new Set(slowest.map((delivery) => delivery.write)).size,
    writes: written.length,
  }
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
  /** The id of the same-run figure `baseline` comes from, e.g. `render.baseline`. */
  baselineId?: string | undefined
  /**
   * `value / baseline` (medians), where the bar is a ratio to a baseline; for
   * a figure paired round by round, the median of the rounds' ratios.
   */
  ratio?: number | undefined
  /** `p99 / the baseline's p99`, where both have one. */
  p99Ratio?: number | undefined
  /** The bar as a multiple of the baseline: met when `ratio ≤ barRatio` (`≥` with `atLeast`). */
  barRatio?: number | undefined
  /**
   * The bar in the figure's unit for this run (`barRatio × baseline`, or an
   * absolute bar such as 85 KB). For a figure paired round by round
   * ({@link pairedRatioBar}) it is the bar the paired ratio sets,
   * `value × barRatio / ratio`, so the chart's line and `meets` agree.
   */
  limit?: number | undefined
  /** The bar is a floor (a rate), not a ceiling. */
  atLeast?: boolean | undefined
  /** The `bench/run.ts` section that measured it (its load averages are in `sections`). */
  section?: string | undefined
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

/** A same-run baseline as `ratioBar` needs it: its id and its median (and p99 where it has one). */
export interface Baseline {
  id: string
  median: number
  p99?: number | undefined
}

/**
 * The fields of a figure whose bar is a ratio to a baseline measured in the
 * same run: the ratio, the bar in the figure's unit, the bar in words, and
 * whether it is met (on the medians).
 *
 * @example
 * // render.first5k ≤ 1.5 × render.baseline
 * { id: 'render.first5k', ...ratioBar(first, { id: 'render.baseline', ...base }, 1.5) }
 */
export function ratioBar(
  measured: { median: number; p99?: number | undefined },
  baseline: Baseline,
  barRatio: number,
  { atLeast = false, digits = 2 }: { atLeast?: boolean; digits?: number } = {},
): Pick<Figure, 'baseline' | 'baselineId' | 'ratio' | 'p99Ratio' | 'barRatio' | 'limit' | 'atLeast' | 'bar' | 'meets'> {
  const limit = barRatio * baseline.median
  const p99Ratio = measured.p99 !== undefined && baseline.p99 !== undefined ? round(measured.p99 / baseline.p99) : undefined
  return {
    baseline: round(baseline.median, digits),
    baselineId: baseline.id,
    ratio: round(measured.median / baseline.median),
    ...(p99Ratio !== undefined ? { p99Ratio } : {}),
    barRatio,
    limit: round(limit, digits),
    ...(atLeast ? { atLeast } : {}),
    bar: `${atLeast ? '≥' : '≤'} ${barRatio} × ${baseline.id} (${round(limit, digits)})`,
    meets: atLeast ? measured.median >= limit : measured.median <= limit,
  }
}

/**
 * The fields of a figure whose samples were taken in rounds, each round
 * measuring the figure and its baseline in turn: the ratio is the median of
 * the rounds' own ratios (`measured[i] / baseline[i]`), and the bar is met on
 * it. Where each sample is a fresh process or a short burst, this machine
 * gives it one of two speeds (a fresh Node process imports an empty module in
 * 4.3–4.6 ms or in 6.0–6.9, about half and half): the median of seven such
 * samples sits in whichever mode holds four of them, so a ratio of the two
 * sides' medians swings about 2× between runs with nothing changed. A round's
 * ratio compares two samples taken a moment apart, under the same load; the
 * median of those ratios moves far less (resampling 25 probes of each side:
 * 5th–95th percentile 2.4–3.1× over 11 rounds, against 2.1–3.8× for the
 * ratio of medians). `rounds` is each round's ratio, for the figure's note.
 *
 * @example
 * // cold.init ≤ 4 × cold.baseline, handler and empty module probed in turn
 * { id: 'cold.init', ...pairedRatioBar(handlerInits, emptyInits, 'cold.baseline', 4) }
 */
export function pairedRatioBar(
  measured: readonly number[],
  baseline: readonly number[],
  baselineId: string,
  barRatio: number,
  { atLeast = false, digits = 2 }: { atLeast?: boolean; digits?: number } = {},
): Pick<Figure, 'baseline' | 'baselineId' | 'ratio' | 'barRatio' | 'limit' | 'atLeast' | 'bar' | 'meets'> & { rounds: number[] } {
  if (measured.length !== baseline.length || measured.length === 0) {
    throw new Error(`pairedRatioBar needs one baseline sample per round: ${measured.length} against ${baseline.length}`)
  }
  const rounds = measured.map((value, i) => value / baseline[i]!)
  const ratio = percentile(rounds, 50)
  const limit = (percentile(measured, 50) * barRatio) / ratio
  return {
    baseline: round(percentile(baseline, 50), digits),
    baselineId,
    ratio: round(ratio),
    barRatio,
    limit: round(limit, digits),
    ...(atLeast ? { atLeast } : {}),
    bar: `${atLeast ? '≥' : '≤'} ${barRatio} × ${baselineId}, round by round (median of ${rounds.length} rounds' ratios)`,
    meets: atLeast ? ratio >= barRatio : ratio <= barRatio,
    rounds: rounds.map((value) => round(value)),
  }
}
