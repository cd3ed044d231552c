import { catchError, combineLatest, distinctUntilChanged, map, of, switchMap, type Observable } from 'rxjs'
import type { UserProfile } from '../../contracts/index.ts'
import { LruCache } from '../../contracts/lru-cache.ts'
import type { HttpGateway } from '../gateways/http-gateway.ts'
import type { SessionView } from '../state/session-status.ts'

/** How a user is shown while their profile cannot be fetched. */
function unnamed(id: string): UserProfile {
  return { id, username: id, name: 'Unknown user' }
}

/** Profiles remembered per stream: far more than a page shows online, so a user coming and going is looked up once. */
export const PROFILE_CACHE_SIZE = 1_000

const byName = (a: UserProfile, b: UserProfile) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)

/**
 * Users online as profiles: the ids deepstream presence reports plus the
 * signed-in user (deepstream does not report one's own connection), named
 * through `GET /users?ids=`. Profiles are cached (the last
 * `PROFILE_CACHE_SIZE` used), so a user coming and going costs one lookup; a failed lookup shows the user unnamed rather than not at all.
 *
 * @example
 * presenceProfiles(realtime.presence$, kit.session$, http).subscribe((users) => render(users.map((u) => u.name)))
 */
export function presenceProfiles(
  ids$: Observable<readonly string[]>,
  session$: Observable<SessionView>,
  http: Pick<HttpGateway, 'users'>,
): Observable<readonly UserProfile[]> {
  const cache = new LruCache<string, UserProfile>(PROFILE_CACHE_SIZE)
  return combineLatest([ids$, session$]).pipe(
    map(([ids, session]) => {
      if (session.status !== 'signedIn') return { self: undefined, others: [] as string[] }
      cache.set(session.user.id, session.user)
      return { self: session.user, others: ids.filter((id) => id !== session.user.id) }
    }),
    distinctUntilChanged((a, b) => a.self === b.self && a.others.join() === b.others.join()),
    switchMap(({ self, others }) => {
      if (!self) return of([] as readonly UserProfile[])
      const known = () => [self, ...others.map((id) => cache.get(id) ?? unnamed(id))].sort(byName)
      const missing = others.filter((id) => !cache.has(id))
      if (missing.length === 0) return of(known())
      return http.users(missing.slice(0, 100)).pipe(
        map(({ users }) => {
          for (const user of users) cache.set(user.id, user)
          return known()
        }),
        catchError(() => of(known())),
      )
    }),
  )
}
