import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing'
import { LitElement, html as litHtml } from 'lit'
import { BehaviorSubject, Observable, finalize, throwError } from 'rxjs'
import type { Kit } from '../../services/index.ts'
import '../index.ts'
import { ObservableController } from './observable-controller.ts'
import { WAIT, disposeKits, shadow, shadowFind, signedInKit, uniqueName } from '../testing/test-server.ts'

/** Counts live subscriptions to every stream it hands out. */
class SubscriptionCounter {
  active = 0
  total = 0

  wrap<T>(source: Observable<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      this.active += 1
      this.total += 1
      return source.pipe(finalize(() => (this.active -= 1))).subscribe(subscriber)
    })
  }

  /** A facade whose streams (properties ending in `$` and methods returning Observables) are counted. */
  kit(kit: Kit): Kit {
    return new Proxy(kit, {
      get: (target, key, receiver) => {
        const value = Reflect.get(target, key, receiver) as unknown
        if (value instanceof Observable) return this.wrap(value)
        if (typeof value !== 'function') return value
        return (...args: unknown[]) => {
          const result = (value as (...a: unknown[]) => unknown).apply(target, args)
          if (result instanceof Observable) return this.wrap(result)
          if (key === 'collection') return this.collection(result as ReturnType<Kit['collection']>)
          return result
        }
      },
    })
  }

  private collection(ref: ReturnType<Kit['collection']>): ReturnType<Kit['collection']> {
    return {
      ...ref,
      declared: () => this.wrap(ref.declared()),
      where: (partition) => {
        const query = ref.where(partition)
        return { watch: () => this.wrap(query.watch()), status: () => this.wrap(query.status()), changes: () => this.wrap(query.changes()) }
      },
    }
  }
}

const counter = new SubscriptionCounter()
const numbers = new BehaviorSubject(1)

class ObservableTestElement extends LitElement {
  readonly stream = new ObservableController(this, {
    args: () => [],
    source: () => counter.wrap(numbers),
    initial: 0,
  })

  protected override render() {
    return litHtml`<span>${this.stream.value}</span>`
  }
}
customElements.define('rt-observable-test', ObservableTestElement)

describe('ObservableController', () => {
  afterEach(async () => {
    fixtureCleanup()
    await disposeKits()
  })

  it('renders the current value and every later one', async () => {
    const el = await fixture<ObservableTestElement>(html`<rt-observable-test></rt-observable-test>`)
    expect(shadow(el, 'span')!.textContent).to.equal('1')
    numbers.next(2)
    await el.updateComplete
    expect(shadow(el, 'span')!.textContent).to.equal('2')
  })

  it('subscribes while connected and unsubscribes on disconnect, however often tags come and go', async () => {
    counter.active = 0
    const host = await fixture(html`<div></div>`)
    for (let round = 0; round < 50; round += 1) {
      const el = document.createElement('rt-observable-test')
      host.append(el)
      expect(counter.active).to.equal(1)
      el.remove()
      expect(counter.active).to.equal(0)
    }
    const kept = document.createElement('rt-observable-test')
    host.append(kept)
    host.append(kept) // a move: disconnect + connect
    expect(counter.active).to.equal(1)
  })

  it('leaves no subscription behind when every tag is added and removed repeatedly', async () => {
    const kit = counter.kit(await signedInKit('alice'))
    counter.active = 0
    const board = uniqueName('board')
    const host = await fixture(html`<div></div>`)
    for (let round = 0; round < 10; round += 1) {
      const provider = document.createElement('rt-provider')
      provider.kit = kit
      provider.innerHTML = `<rt-login></rt-login><rt-task-board board="${board}"></rt-task-board><rt-chat room="${board}"></rt-chat><rt-presence></rt-presence><rt-connection-status></rt-connection-status>`
      host.append(provider)
      const chat = provider.querySelector('rt-chat')!
      await shadowFind(chat, '[part="composer"]', 'tags live')
      expect(counter.active).to.be.greaterThan(0)
      provider.remove()
      expect(counter.active, `round ${round}`).to.equal(0)
    }
  })

  describe('when a stream fails', () => {
    /**
     * The facade with `stream` failing at once: a `…$` property or method,
     * or `watch()`, the live list of every query of `kit.collection(…)`.
     */
    function failing(kit: Kit, stream: string): Kit {
      const failed = throwError(() => new Error(`${stream} failed`))
      const failingWatch = <T extends object>(target: T): T =>
        new Proxy(target, { get: (query, key, receiver) => (key === 'watch' ? () => failed : Reflect.get(query, key, receiver)) })
      return new Proxy(kit, {
        get: (target, key, receiver) => {
          if (stream === 'watch()' && key === 'collection') {
            return (...args: Parameters<Kit['collection']>) => {
              const ref = target.collection(...args)
              return new Proxy(ref, {
                get: (r, k, rec) =>
                  k === 'where' ? (partition: Record<string, string>) => failingWatch(r.where(partition)) : Reflect.get(r, k, rec),
              })
            }
          }
          if (key !== stream) return Reflect.get(target, key, receiver) as unknown
          return typeof Reflect.get(target, key, receiver) === 'function' ? () => failed : failed
        },
      })
    }

    const tags: Array<[string, string]> = [
      ['rt-task-board', 'watch()'],
      ['rt-chat', 'watch()'],
      ['rt-presence', 'presence$'],
      ['rt-connection-status', 'connection$'],
      ['rt-login', 'errors$'],
    ]
    for (const [tag, stream] of tags) {
      it(`<${tag}> says so in an alert when ${stream} fails`, async () => {
        const kit = failing(await signedInKit('alice'), stream)
        const name = uniqueName('failing')
        const provider = await fixture(html`<rt-provider .kit=${kit}></rt-provider>`)
        provider.innerHTML = `<${tag} board="${name}" room="${name}"></${tag}>`
        const el = provider.querySelector(tag)!
        const notice = await shadowFind(el, '[data-state="stream-failed"]', `${tag} shows the failure`)
        expect(notice.getAttribute('role')).to.equal('alert')
        expect(notice.getAttribute('part')).to.contain('notice')
      })
    }

    it('shows nothing while the streams are well', async () => {
      const kit = await signedInKit('alice')
      const provider = await fixture(html`<rt-provider .kit=${kit}><rt-presence></rt-presence></rt-provider>`)
      const el = provider.querySelector('rt-presence')!
      await waitUntil(() => shadow(el, '[part~="avatar"]'), 'presence shows someone', WAIT)
      expect(shadow(el, '[data-state="stream-failed"]')).to.equal(null)
    })
  })
})
