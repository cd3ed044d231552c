/**
 * A module a tag loads the first time it needs it, in a chunk of its own
 * (single-file builds inline it): `value` once loaded, `load()` to start.
 * A failed load is tried again by the next `load()`.
 *
 * @example
 * const parts = lazyModule(() => import('./board-parts.ts'))
 * if (!parts.value) parts.load().then(() => this.requestUpdate(), () => undefined)
 */
export interface LazyModule<M> {
  readonly value: M | undefined
  load(): Promise<M>
}

export function lazyModule<M>(importer: () => Promise<M>): LazyModule<M> {
  let loaded: M | undefined
  let loading: Promise<M> | undefined
  return {
    get value() {
      return loaded
    },
    load() {
      loading ??= importer().then(
        (module) => (loaded = module),
        (error: unknown) => {
          loading = undefined
          throw error
        },
      )
      return loading
    },
  }
}
