import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { BehaviorSubject, firstValueFrom, of, skip, throwError, type Observable } from 'rxjs'
import type { UserProfile } from '../../contracts/index.ts'
import type { SessionView } from '../state/session-status.ts'
import { PROFILE_CACHE_SIZE, presenceProfiles } from './presence.ts'

const ada: UserProfile = { id: 'u-ada', username: 'ada', name: 'Ada' }
const bea: UserProfile = { id: 'u-bea', username: 'bea', name: 'Bea' }
const signedIn: SessionView = { status: 'signedIn', user: ada, expiresAt: 0 }

describe('presenceProfiles', () => {
  it('names other users once and caches them', async () => {
    const lookups: string[][] = []
    const http = {
      users: (ids: readonly string[]) => {
        lookups.push([...ids])
        return of({ users: [bea].filter((u) => ids.includes(u.id)) })
      },
    }
    const ids$ = new BehaviorSubject<readonly string[]>(['u-bea'])
    const seen: (readonly UserProfile[])[] = []
    const subscription = presenceProfiles(ids$, of(signedIn), http).subscribe((users) => seen.push(users))
    ids$.next([])
    ids$.next(['u-bea'])
    subscription.unsubscribe()
    assert.deepEqual(
      seen.map((users) => users.map((u) => u.name)),
      [['Ada', 'Bea'], ['Ada'], ['Ada', 'Bea']],
    )
    assert.deepEqual(lookups, [['u-bea']], 'a returning user is not looked up again')
  })

  it('shows a user unnamed when the lookup fails, and nobody while signed out', async () => {
    const failing = { users: () => throwError(() => new Error('offline')) as Observable<{ users: UserProfile[] }> }
    const users = await firstValueFrom(presenceProfiles(of(['u-x']), of(signedIn), failing))
    assert.deepEqual(
      users.map((u) => [u.id, u.name]),
      [
        ['u-ada', 'Ada'],
        ['u-x', 'Unknown user'],
      ],
    )
    const session$ = new BehaviorSubject<SessionView>({ status: 'signedOut', user: null, expiresAt: null })
    assert.deepEqual(await firstValueFrom(presenceProfiles(of(['u-x']), session$, failing)), [])
    const next = firstValueFrom(presenceProfiles(of(['u-x']), session$, failing).pipe(skip(1)))
    session$.next(signedIn)
    assert.equal((await next).length, 2)
  })

  it(`remembers at most ${PROFILE_CACHE_SIZE} profiles: a user unseen since that many others came is looked up again`, () => {
    const looked: string[] = []
    const http = {
      users: (ids: readonly string[]) => {
        looked.push(...ids)
        return of({ users: ids.map((id) => ({ id, username: id, name: id })) })
      },
    }
    const ids$ = new BehaviorSubject<readonly string[]>(['u-first'])
    const subscription = presenceProfiles(ids$, of(signedIn), http).subscribe()
    // The signed-in user is cached too; this many others push the first one out.
    for (let i = 0; i < PROFILE_CACHE_SIZE; i++) ids$.next([`u-${i}`])
    ids$.next(['u-first'])
    subscription.unsubscribe()
    assert.equal(looked.filter((id) => id === 'u-first').length, 2)
    assert.equal(looked.length, PROFILE_CACHE_SIZE + 2)
  })
})
