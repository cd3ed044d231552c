/**
 * `make()` run by the first caller and its result kept for every later one:
 * a module loaded on first use (`firstUse(() => import('./tokens.ts'))`), a
 * schema built on first use. Calling `import()` again on every request is
 * not free even for a module already loaded: each goes through the module
 * loader (under tsx, a round trip to its loader thread), which cost more
 * per request than verifying the token it loaded. A rejected promise is not
 * kept, so a failed load is tried again by the next caller.
 *
 * @example
 * const tokens = firstUse(() => import('./tokens.ts'))
 * const { defaultVerifier } = await tokens()
 */
export function firstUse<T>(make: () => T): () => T {
  let made: { value: T } | undefined
  return () => {
    if (made) return made.value
    const value = make()
    made = { value }
    if (value instanceof Promise) value.catch(() => (made = undefined))
    return value
  }
}
