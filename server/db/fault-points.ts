/**
 * Named points in the write paths where a test can make the process fail,
 * to prove that no crash point loses or resurrects data. Nothing is
 * registered outside tests, so each point costs one map lookup.
 *
 * @example
 * const remove = injectFault('delete:after-write', () => stack.embedded!.crash())
 * try { … } finally { remove() }
 */
export type FaultPoint = 'insert:before-write' | 'delete:before-write' | 'delete:after-write'

const faults = new Map<FaultPoint, () => unknown>()

/** Runs what a test injected at `point`, if anything; a throw propagates like any failure there. */
export async function faultPoint(point: FaultPoint): Promise<void> {
  const fault = faults.get(point)
  if (fault) await fault()
}

/** Test-only: makes `point` run `fault`; returns the function that removes it. */
export function injectFault(point: FaultPoint, fault: () => unknown): () => void {
  faults.set(point, fault)
  return () => void faults.delete(point)
}
