import { filter, firstValueFrom } from 'rxjs'
import { paths } from '../contracts/index.ts'
import { DEMO_PASSWORD } from '../server/db/seed.ts'
import { createKit, MemoryStorage, type Kit } from '../services/index.ts'

/**
 * Signing in as a seeded demo user (alice, bob), for the benchmark's client
 * processes and for figures that talk to a server started elsewhere (a
 * cluster), where the in-process stack's `login` is not at hand.
 */

/** A kit (the services layer users run) signed in as `username`, its realtime connection open. */
export async function signedInKit(apiUrl: string, realtimeUrl: string, username: string): Promise<Kit> {
  const kit = createKit({ apiUrl, realtimeUrl, storage: new MemoryStorage() })
  await kit.login(username, DEMO_PASSWORD)
  await firstValueFrom(kit.connection$.pipe(filter((status) => status === 'open')))
  return kit
}

/** A token for `username`, from the API's sign-in route. */
export async function demoToken(apiUrl: string, username: string): Promise<string> {
  const response = await fetch(apiUrl + paths.login, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  })
  if (!response.ok) throw new Error(`signing in as ${username} answered ${response.status}`)
  return ((await response.json()) as { token: string }).token
}
