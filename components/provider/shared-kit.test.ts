import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing'
import type { Kit } from '../../services/index.ts'
import { configure } from '../configure.ts'
import '../login/login.ts'
import type { RtLogin } from '../login/login.ts'
import './provider.ts'
import type { RtProvider } from './provider.ts'
import { DEMO_PASSWORD, WAIT, shadow, shadowFind, testEnv, uniqueName } from '../testing/test-server.ts'

/** Every WebSocket the page opens to `url` from now on, counted by wrapping the constructor. */
function countSockets(url: string): { readonly count: number; restore(): void } {
  const Original = window.WebSocket
  let count = 0
  window.WebSocket = class extends Original {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args)
      if (String(args[0]).startsWith(url)) count += 1
    }
  }
  return {
    get count() {
      return count
    },
    restore: () => void (window.WebSocket = Original),
  }
}

/** Resolves `true` once `kit` is disposed (its streams complete), or `false` after a while. */
function disposed(kit: Kit, within = 300): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), within)
    kit.session$.subscribe({
      complete: () => {
        clearTimeout(timer)
        resolve(true)
      },
    })
  })
}

/** Two providers with the same URLs and storage key, each with a `<rt-login>`, side by side. */
async function twoProviders(storageKey: string, extra: { authEndpoint?: string } = {}) {
  const { apiUrl, realtimeUrl } = await testEnv()
  const page = await fixture(
    html`<div>
      <rt-provider id="a" api-url=${apiUrl} realtime-url=${realtimeUrl} storage-key=${storageKey}><rt-login></rt-login></rt-provider>
      <rt-provider id="b" api-url=${apiUrl} realtime-url=${realtimeUrl} storage-key=${storageKey} auth-endpoint=${extra.authEndpoint ?? ''}
        ><rt-login></rt-login
      ></rt-provider>
    </div>`,
  )
  const [a, b] = ['a', 'b'].map((id) => page.querySelector<RtProvider>(`#${id}`)!)
  return { a: a!, b: b!, loginA: a!.querySelector<RtLogin>('rt-login')!, loginB: b!.querySelector<RtLogin>('rt-login')! }
}

describe('kits shared on the page', () => {
  let warnings: string[]
  const warn = console.warn
  beforeEach(() => {
    warnings = []
    console.warn = (message: string) => void warnings.push(message)
  })
  afterEach(() => {
    console.warn = warn
    // configure() holds are counted: let go of every one a test took.
    while (configure(null)) {
      /* one more hold */
    }
    fixtureCleanup()
    localStorage.clear()
  })

  describe('two <rt-provider>s with the same URLs and storage key', () => {
    it('share one kit and, once signed in, one WebSocket', async () => {
      const { realtimeUrl } = await testEnv()
      const sockets = countSockets(realtimeUrl)
      try {
        const { a, b } = await twoProviders(uniqueName('shared'))
        expect(a.value).to.exist
        expect(b.value === a.value, 'the same kit').to.equal(true)
        await a.value!.login('alice', DEMO_PASSWORD) // the socket opens once someone is signed in
        await waitUntil(() => sockets.count > 0, 'the socket opens', WAIT)
        await new Promise((resolve) => setTimeout(resolve, 200))
        expect(sockets.count).to.equal(1)
      } finally {
        sockets.restore()
      }
    })

    it('sign in through one shows the user in the other; signing out in one signs out both', async () => {
      const { loginA, loginB } = await twoProviders(uniqueName('shared'))
      await shadowFind(loginA, 'form', 'sign-in form in the first')
      await shadowFind(loginB, 'form', 'sign-in form in the second')
      shadow<HTMLInputElement>(loginA, 'input[name="username"]')!.value = 'alice'
      shadow<HTMLInputElement>(loginA, 'input[name="password"]')!.value = DEMO_PASSWORD
      shadow<HTMLButtonElement>(loginA, '[part="submit"]')!.click()
      await shadowFind(loginA, '[part="user"]', 'signed in, in the first')
      await shadowFind(loginB, '[part="user"]', 'signed in, in the second')

      shadow<HTMLButtonElement>(loginB, '[part="logout"]')!.click()
      await shadowFind(loginB, 'form', 'signed out, in the second')
      await shadowFind(loginA, 'form', 'signed out, in the first')
    })

    it('keep separate kits (and sessions) with different storage keys', async () => {
      const { apiUrl, realtimeUrl } = await testEnv()
      const page = await fixture(
        html`<div>
          <rt-provider api-url=${apiUrl} realtime-url=${realtimeUrl} storage-key=${uniqueName('one')}></rt-provider>
          <rt-provider api-url=${apiUrl} realtime-url=${realtimeUrl} storage-key=${uniqueName('two')}></rt-provider>
        </div>`,
      )
      const [one, two] = [...page.querySelectorAll('rt-provider')]
      expect(one!.value).to.exist
      expect(two!.value).to.exist
      expect(two!.value !== one!.value, 'two kits').to.equal(true)
      expect(warnings).to.deep.equal([])
    })

    it('dispose the kit only when the last of them is removed', async () => {
      const { a, b } = await twoProviders(uniqueName('shared'))
      const kit = a.value!
      a.remove()
      expect(await disposed(kit), 'disposed while the second provider holds it').to.equal(false)
      b.remove()
      expect(await disposed(kit, WAIT.timeout), 'disposed after the last let go').to.equal(true)
    })

    it('share the first kit and warn once when another option differs', async () => {
      const { a, b } = await twoProviders(uniqueName('shared'), { authEndpoint: '/rtkit/token' })
      expect(b.value === a.value, 'the same kit').to.equal(true)
      expect(warnings).to.have.length(1)
      expect(warnings[0]).to.contain('authEndpoint').and.contain('/rtkit/token').and.contain('(not set)')
    })
  })

  describe('configure() and a provider with the same URLs', () => {
    it('share one kit, which outlives configure(null) while the provider holds it', async () => {
      const { apiUrl, realtimeUrl } = await testEnv()
      const storageKey = uniqueName('configured')
      const kit = configure({ apiUrl, realtimeUrl, storageKey })
      const provider = await fixture<RtProvider>(
        html`<rt-provider api-url=${apiUrl} realtime-url=${realtimeUrl} storage-key=${storageKey}></rt-provider>`,
      )
      expect(provider.value === kit, 'the configured kit').to.equal(true)
      configure(null)
      expect(await disposed(kit), 'disposed under the provider').to.equal(false)
      provider.remove()
      expect(await disposed(kit, WAIT.timeout)).to.equal(true)
    })
  })

  describe('configure() called twice', () => {
    it('keeps the first kit on a conflicting option, warns once naming the option and both values, and disposes nothing', async () => {
      const { apiUrl, realtimeUrl } = await testEnv()
      const storageKey = uniqueName('first')
      const first = configure({ apiUrl, realtimeUrl, storageKey })
      const second = configure({ apiUrl, realtimeUrl, storageKey, requestTimeoutMs: 2500 })
      configure({ apiUrl, realtimeUrl, storageKey, requestTimeoutMs: 2500 })
      expect(second === first, 'the first kit').to.equal(true)
      expect(warnings).to.have.length(1)
      expect(warnings[0]).to.contain('requestTimeoutMs').and.contain('2500').and.contain('(not set)')

      const other = configure({ apiUrl, realtimeUrl, storageKey: 'another-team' })
      expect(other === first, 'the first kit').to.equal(true)
      expect(warnings).to.have.length(2)
      expect(warnings[1]).to.contain('storageKey').and.contain('"another-team"').and.contain(JSON.stringify(storageKey))
      expect(await disposed(first), 'the first kit is still in use').to.equal(false)
      await first.login('alice', DEMO_PASSWORD)
    })

    it('disposes the kit when the last caller lets go', async () => {
      const { apiUrl, realtimeUrl } = await testEnv()
      const storageKey = uniqueName('twice')
      const kit = configure({ apiUrl, realtimeUrl, storageKey })
      configure({ apiUrl, realtimeUrl, storageKey })
      expect(configure(null) === kit, 'the other caller still holds the default').to.equal(true)
      expect(await disposed(kit)).to.equal(false)
      expect(configure(null)).to.equal(undefined)
      expect(await disposed(kit, WAIT.timeout)).to.equal(true)
    })
  })
})
