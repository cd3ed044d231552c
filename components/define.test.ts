import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing'
import { unsafeStatic, html as staticHtml } from 'lit/static-html.js'
import { defineTags, tagClasses } from './define.ts'
import { loadedVersions, registerVersion, version } from './internal/versions.ts'
import type { RtProvider } from './provider/provider.component.ts'
import { DEMO_PASSWORD, disposeKits, shadowFind, signedInKit, testEnv, uniqueName } from './testing/test-server.ts'
import { tasksOf } from '../services/index.ts'

// This file imports rtkit/define (and the test helpers), never a tag file: it is its own page.
const names = Object.keys(tagClasses)

describe('rtkit/define', () => {
  afterEach(async () => {
    fixtureCleanup()
    await disposeKits()
  })

  it('registers nothing when imported', () => {
    // Booleans, not the classes: chai would spend minutes describing a Lit class in a failure message.
    for (const name of names) expect(customElements.get(`rt-${name}`) === undefined, `rt-${name} undefined`).to.equal(true)
    expect(loadedVersions(), 'no version registered either').to.deep.equal([])
  })

  describe('defineTags({ prefix })', () => {
    it('registers every tag under the prefix, and nothing under rt-', () => {
      const defined = defineTags({ prefix: 'acme' })
      expect(Object.values(defined)).to.deep.equal(names.map((name) => `acme-${name}`))
      for (const name of names) {
        const element = customElements.get(`acme-${name}`)
        expect(element !== undefined, `acme-${name} defined`).to.equal(true)
        expect(element!.prototype instanceof tagClasses[name as keyof typeof tagClasses], `acme-${name} extends its tag`).to.equal(true)
        expect(customElements.get(`rt-${name}`) === undefined, `rt-${name} undefined`).to.equal(true)
      }
      expect(() => defineTags({ prefix: 'acme' }), 'a second call skips what is there').not.to.throw()
    })

    it('gives tags that find their facade through <acme-provider>', async () => {
      defineTags({ prefix: 'acme' })
      const { apiUrl, realtimeUrl } = await testEnv()
      const root = await fixture(
        html`<acme-provider api-url=${apiUrl} realtime-url=${realtimeUrl} storage-key=${uniqueName('acme')}>
          <acme-login></acme-login>
        </acme-provider>`,
      )
      const login = root.querySelector('acme-login')!
      await shadowFind(login, 'form', 'the sign-in form of <acme-login>')
      const kit = (root as RtProvider).value!
      await kit.login('alice', DEMO_PASSWORD)
      await shadowFind(login, '[part="user"]', 'signed in')
      await kit.logout()
      localStorage.clear()
    })

    it('runs a prefixed board that renders no other custom element inside', async () => {
      defineTags({ prefix: 'acme' })
      const kit = await signedInKit()
      const board = uniqueName('board')
      await tasksOf(kit).addTask({ board, title: 'prefixed' })
      const root = await fixture(
        staticHtml`<acme-provider .kit=${kit}><${unsafeStatic('acme-task-board')} board=${board}></acme-task-board></acme-provider>`,
      )
      const el = root.querySelector('acme-task-board')!
      await shadowFind(el, '[part~="card"]', 'a card')
      const nested = [...el.shadowRoot!.querySelectorAll('*')].filter((node) => node.localName.includes('-'))
      expect(nested.map((node) => node.localName)).to.deep.equal([])
    })

    it('refuses a prefix that cannot start a custom element name', () => {
      expect(() => defineTags({ prefix: 'Acme' })).to.throw(TypeError, /prefix/)
      expect(() => defineTags({ prefix: '1x' })).to.throw(TypeError, /prefix/)
    })

    it('registers into a scoped registry, leaving the page’s alone', function () {
      let registry: CustomElementRegistry
      try {
        registry = new CustomElementRegistry()
      } catch {
        this.skip() // no scoped registries in this browser
      }
      defineTags({ prefix: 'scoped', registry })
      for (const name of names) {
        expect(registry.get(`scoped-${name}`) !== undefined, `scoped-${name} in the scoped registry`).to.equal(true)
        expect(customElements.get(`scoped-${name}`) === undefined, `scoped-${name} not on the page`).to.equal(true)
      }
    })
  })

  describe('defineTags() with the rt prefix', () => {
    it('registers the rt-* tags with their own classes and this copy’s version', () => {
      defineTags()
      expect(customElements.get('rt-task-board') === tagClasses['task-board'], 'rt-task-board is RtTaskBoard').to.equal(true)
      expect(loadedVersions()).to.deep.equal([version])
    })
  })
})

describe('versions on the page', () => {
  const warn = console.warn
  let warnings: string[]
  beforeEach(() => {
    warnings = []
    console.warn = (message: string) => void warnings.push(message)
  })
  afterEach(() => {
    console.warn = warn
  })

  it('warns once, with both versions, when a copy of another version loads', () => {
    const first = loadedVersions()[0] ?? version
    registerVersion(first)
    expect(warnings, 'the same version again').to.deep.equal([])
    registerVersion('9.9.9-other')
    registerVersion('9.9.9-other')
    expect(warnings).to.have.length(1)
    expect(warnings[0]).to.contain(first).and.contain('9.9.9-other').and.contain('instanceof').and.contain('rtkit/define')
    expect(loadedVersions()).to.deep.equal([first, '9.9.9-other'])
  })
})
