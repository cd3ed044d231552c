import { filter, firstValueFrom, timeout, type Observable } from 'rxjs'

/** The first value of `source$` that passes `predicate`; fails after `ms` (tests bound every wait). */
export function waitFor<T>(source$: Observable<T>, predicate: (value: T) => boolean, what: string, ms = 10_000): Promise<T> {
  return firstValueFrom(
    source$.pipe(
      filter(predicate),
      timeout({
        first: ms,
        with: () => {
          throw new Error(`timed out after ${ms} ms waiting for ${what}`)
        },
      }),
    ),
  )
}
