/**
 * The process group of a command a test started `detached` (its own group,
 * as in a terminal): whether it has gone, and killing what is left of it.
 */

/** Whether every process of the group `pgid` has exited, waiting at most `withinMs`. */
export async function groupGone(pgid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs
  for (;;) {
    try {
      process.kill(-pgid, 0)
    } catch {
      return true
    }
    if (Date.now() >= deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** SIGKILL to what is left of the group `pgid`, if anything: a test's last word, so that nothing it started outlives it. */
export function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL')
  } catch {
    // Gone already.
  }
}
