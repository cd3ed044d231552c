import { catchError, distinctUntilChanged, map, of, shareReplay, switchMap, type Observable, type Subscription } from 'rxjs'
import type { PublicCollection } from '../../contracts/index.ts'
import type { HttpGateway } from '../gateways/http-gateway.ts'
import { builtinTextFields } from '../commands/server-normal-form.ts'

/**
 * What the server says about its collections (`GET /collections`): how each
 * sorts and which of its fields are text, so a collection known only by name
 * (an operator's own) is ordered and normalised as the server declares it.
 * Asked once per signed-in user, when a query by name first needs it.
 */
export interface ServerCollections {
  /** The public half of `name`; `undefined` while signed out, unknown, or not declared by the server. */
  info$(name: string): Observable<PublicCollection | undefined>
  /** The text fields of `name` known so far: a built-in's descriptor, else what the server said. */
  textFields(name: string): readonly string[]
  /** Asks at every sign-in from now on, before anything needs the answer; unsubscribe to stop. */
  follow(): Subscription
}

export function serverCollections(http: HttpGateway, userId$: Observable<string | undefined>): ServerCollections {
  const known = new Map<string, PublicCollection>()
  const declared$ = userId$.pipe(
    distinctUntilChanged(),
    switchMap((userId) =>
      userId === undefined
        ? of(new Map<string, PublicCollection>())
        : http.collections().pipe(
            map(({ collections }) => new Map(collections.map((collection) => [collection.name, collection]))),
            // Not known (an older server, a network failure): queries fall back to id order.
            catchError(() => of(new Map<string, PublicCollection>())),
          ),
    ),
    map((declared) => {
      for (const [name, collection] of declared) known.set(name, collection)
      return declared
    }),
    shareReplay({ bufferSize: 1, refCount: false }),
  )
  return {
    info$: (name) => declared$.pipe(map((declared) => declared.get(name))),
    follow: () => declared$.subscribe(),
    textFields: (name) => {
      const builtin = builtinTextFields(name)
      return builtin.length > 0 ? builtin : (known.get(name)?.textFields ?? [])
    },
  }
}
