import { LocalizeController as ShoelaceLocalizeController, registerTranslation as register, update } from '@shoelace-style/localize'
import type { ReactiveControllerHost } from 'lit'
import { catalogueLoaders } from './catalogue-loaders.ts'
import { en } from './en.ts'
import type { PartialTranslation, RtTranslation } from './translation.ts'

/**
 * The tags' translations, on Shoelace's `@shoelace-style/localize`: its
 * catalogue registry (`registerTranslation`, region → language → English
 * fallback) and its controller, all in about 1 KB. `@lit/localize` was the other model; it has one locale for the
 * whole page, set by the app, and a tag there cannot follow the `lang` of
 * the part of the page it sits in.
 *
 * What this file adds to Shoelace's controller, which reads only the host's
 * own `lang` and the document's:
 * - the nearest `lang` (and `dir`): the closest ancestor that has one,
 *   crossing shadow roots, else the document's, else English;
 * - re-rendering when any `lang`/`dir` on the way changes, not only the
 *   document element's (one observer for the document and the shadow roots
 *   tags sit in);
 * - the built-in languages other than English load on first use (a dynamic
 *   import: a page that never asks for German never fetches it; see
 *   `catalogue-loaders.ts`);
 * - what is found is kept: the language and direction, the catalogue entry
 *   of each key (Shoelace's `term()` parses the language tag on every call,
 *   and a board asks for three strings per card), and the `Intl` formatters.
 */

/**
 * Built-in catalogues besides English, by language subtag, loaded when a
 * page first asks for one. Internal (not exported by the package); the
 * tests replace a loader to make it fail.
 */
export const lazyCatalogues = new Map(catalogueLoaders)

/** The languages the tags speak without `registerTranslation()`. */
export const builtInLanguages: readonly string[] = ['en', ...lazyCatalogues.keys()]

/**
 * Counts the changes that can give a tag another language or direction: a
 * `lang`/`dir` on the page, a catalogue. A controller remembers what it
 * found for one count (see `NearestLangController.resolve`).
 */
let generation = 0

const loading = new Map<string, Promise<void>>()
const registered = new Set<string>()

/**
 * Adds or extends languages. Keys a catalogue leaves out fall back to the
 * language without its region (`de-CH` → `de`), then to English. A built-in
 * language that is registered here is not loaded any more: yours wins.
 *
 * @example
 * import { registerTranslation } from 'rtkit'
 * registerTranslation({ $code: 'fr', $name: 'Français', $dir: 'ltr', signIn: 'Se connecter', send: 'Envoyer' })
 */
export function registerTranslation(...translations: PartialTranslation[]): void {
  for (const translation of translations) {
    const code = translation.$code.toLowerCase()
    registered.add(code)
    catalogues.set(code, { ...catalogues.get(code), ...translation })
  }
  generation++
  register(...translations)
}

/** The catalogues by code, merged as Shoelace's registry merges them, for the controllers' own lookups. */
const catalogues = new Map<string, PartialTranslation>()

registerTranslation(en)

/** Every `lang`/`dir` change in the document or a watched shadow root re-renders the connected tags. */
const observer =
  typeof MutationObserver === 'undefined'
    ? undefined
    : new MutationObserver(() => {
        generation++
        update()
      })
const OBSERVED = { attributes: true, subtree: true, attributeFilter: ['lang', 'dir'] }
if (observer && typeof document !== 'undefined') observer.observe(document, OBSERVED)

/** The closest element at or above `element` that has `attribute`, crossing shadow roots. */
function closestWith(element: Element, attribute: string): Element | undefined {
  let node: Element | undefined = element
  while (node) {
    const found = node.closest(`[${attribute}]`)
    if (found) return found
    const root = node.getRootNode()
    node = root instanceof ShadowRoot ? root.host : undefined
  }
  return undefined
}

function validTag(tag: string): string | undefined {
  try {
    return new Intl.Locale(tag).toString().toLowerCase()
  } catch {
    return undefined
  }
}

/**
 * Shoelace's controller, reading the nearest `lang`/`dir`, watching the
 * shadow roots on the way and loading built-in catalogues. Private: the
 * public {@link LocalizeController} wraps it, so the package's types never
 * name the inlined library.
 */
class NearestLangController extends ShoelaceLocalizeController<RtTranslation> {
  /**
   * The nearest `lang` and `dir` as last found. Finding them walks up the
   * tree across shadow roots, and a board asks for every string of every
   * card (three per card), so they are found once per update of the host
   * and kept until a `lang`, a `dir` or a catalogue changes, or the host
   * moves.
   */
  #found: Found | undefined = undefined

  override hostConnected(): void {
    this.#found = undefined
    super.hostConnected()
    // lang/dir changes inside the shadow roots this tag sits in (the document itself is always watched).
    for (let root = this.host.getRootNode(); root instanceof ShadowRoot; root = root.host.getRootNode()) observer?.observe(root, OBSERVED)
  }

  /** Loads the built-in catalogue the page asks for, if it is not there yet; the tags render again once it is. */
  hostUpdate(): void {
    this.#found = undefined
    const language = new Intl.Locale(this.lang()).language
    const load = lazyCatalogues.get(language)
    if (!load || registered.has(language) || loading.has(language)) return
    loading.set(
      language,
      load().then(
        (translation) => {
          if (!registered.has(language)) registerTranslation(translation)
        },
        // A failed fetch (a deploy that dropped the chunk) leaves English; the next render tries again.
        () => void loading.delete(language),
      ),
    )
  }

  override lang(): string {
    return this.resolve().lang
  }

  override dir(): string {
    return this.resolve().dir
  }

  private resolve(): Found {
    if (this.#found?.generation === generation) return this.#found
    const tag = closestWith(this.host, 'lang')?.getAttribute('lang') || document.documentElement.lang
    const dir = closestWith(this.host, 'dir')?.getAttribute('dir')?.toLowerCase()
    const lang = (tag && validTag(tag.replaceAll('_', '-'))) || 'en'
    const locale = new Intl.Locale(lang)
    const language = locale.language.toLowerCase()
    const region = locale.region?.toLowerCase() ?? ''
    this.#found = {
      generation,
      lang,
      dir: dir === 'rtl' ? 'rtl' : 'ltr',
      sources: [catalogues.get(`${language}-${region}`), catalogues.get(language), en],
      entries: new Map(),
    }
    return this.#found
  }

  /** The catalogue entry of `key` in the language found: the region's, else the language's, else English (as Shoelace's `term()`). */
  entry(key: keyof RtTranslation): unknown {
    const { sources, entries } = this.resolve()
    if (!entries.has(key)) entries.set(key, sources.map((source) => source?.[key]).find(Boolean))
    return entries.get(key)
  }
}

/** What a controller found for one count of {@link generation}. */
interface Found {
  generation: number
  lang: string
  dir: string
  /** The catalogues to look a key up in, in order. */
  sources: ReadonlyArray<PartialTranslation | undefined>
  /** Each key's entry, as looked up so far. */
  entries: Map<string, unknown>
}

/** The arguments a catalogue entry takes: none for a string, the function's for a function. */
export type TermArguments<T> = T extends (...args: infer A) => string ? A : []

/**
 * A tag's strings, dates and counts in the language of the nearest `lang`.
 * Every `KitElement` has one as `this.localize`; a tag of your own can add
 * one the same way.
 *
 * @example
 * class RtHello extends LitElement {
 *   private readonly localize = new LocalizeController(this)
 *   render() {
 *     return html`${this.localize.term('signIn')} · ${this.localize.date(new Date(), { timeStyle: 'short' })}`
 *   }
 * }
 */
export class LocalizeController {
  readonly #inner: NearestLangController

  /** Joins `host` as a controller: the host renders again when its language or a catalogue changes. */
  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#inner = new NearestLangController(host)
  }

  /** The language of the nearest `lang` (lower case), else the document's, else `en`. */
  lang(): string {
    return this.#inner.lang()
  }

  /** `rtl` or `ltr`, from the nearest `dir`. */
  dir(): string {
    return this.#inner.dir()
  }

  /** The catalogue entry `key` in the tag's language (region, then language, then English), given its arguments. */
  term<K extends keyof RtTranslation>(key: K, ...args: TermArguments<RtTranslation[K]>): string {
    const entry = this.#inner.entry(key)
    if (!entry) {
      console.error(`No translation found for: ${String(key)}`)
      return String(key)
    }
    return typeof entry === 'function' ? (entry as (...args: unknown[]) => string)(...args) : String(entry)
  }

  /** A date or time with `Intl.DateTimeFormat` in the tag's language. */
  date(date: Date | string, options?: Intl.DateTimeFormatOptions): string {
    return formatter(Intl.DateTimeFormat, this.lang(), options).format(new Date(date))
  }

  /** A number with `Intl.NumberFormat` in the tag's language. */
  number(value: number | string, options?: Intl.NumberFormatOptions): string {
    const number = Number(value)
    return Number.isNaN(number) ? '' : formatter(Intl.NumberFormat, this.lang(), options).format(number)
  }

  /** "in 3 minutes", "vor 3 Minuten": `Intl.RelativeTimeFormat` in the tag's language. */
  relativeTime(value: number, unit: Intl.RelativeTimeFormatUnit, options?: Intl.RelativeTimeFormatOptions): string {
    return formatter(Intl.RelativeTimeFormat, this.lang(), options).format(value, unit)
  }
}

/**
 * The `Intl` formatters made so far, by kind, language and options: making
 * one costs far more than using it, and a list formats a value per row.
 * What a page asks for is a handful of combinations.
 */
const formatters = new Map<string, unknown>()

function formatter<T, O>(kind: new (lang: string, options?: O) => T, lang: string, options: O | undefined): T {
  const key = `${kind.name}|${lang}|${JSON.stringify(options ?? {})}`
  let found = formatters.get(key) as T | undefined
  if (!found) formatters.set(key, (found = new kind(lang, options)))
  return found
}
