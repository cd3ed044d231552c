import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { BehaviorSubject, firstValueFrom, of, skip, throwError, type Observable } from 'rxjs'
import type { UserProfile } from '../../contracts/index.ts'
import type { SessionView } from '../state/session-status.ts'
import { presenceProfiles } from './presence.ts'

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
})
