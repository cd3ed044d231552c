/** Replaced by the build with the package's version (`vite.config.ts`); absent when the sources run as they are (tests). */
declare const __RTKIT_VERSION__: string | undefined

/** This copy's version of rtkit. */
export const version: string = typeof __RTKIT_VERSION__ === 'string' ? __RTKIT_VERSION__ : '0.0.0-source'

/**
 * The versions of rtkit loaded on the page, in the order their tags were
 * registered, on `globalThis` under a registered symbol so every copy (an
 * npm import, a `<script>` bundle, another team's build) sees the others.
 */
interface LoadedVersions {
  readonly versions: string[]
  /** Versions already warned about. */
  readonly warned: Set<string>
}

const VERSIONS = Symbol.for('rtkit.versions/1')

/** The versions of rtkit that registered tags on this page, first first. */
export function loadedVersions(): readonly string[] {
  return versionsOnPage().versions
}

function versionsOnPage(): LoadedVersions {
  const global = globalThis as typeof globalThis & { [VERSIONS]?: LoadedVersions }
  global[VERSIONS] ??= { versions: [], warned: new Set() }
  return global[VERSIONS]
}

/**
 * Records that a copy of rtkit of `loading` is registering the `rt-*` tags.
 * When another version got there first, its definitions stay (a custom
 * element cannot be redefined), so the page gets one warning per version
 * naming both.
 */
export function registerVersion(loading: string = version): void {
  const page = versionsOnPage()
  const first = page.versions[0]
  if (!page.versions.includes(loading)) page.versions.push(loading)
  if (first === undefined || first === loading || page.warned.has(loading)) return
  page.warned.add(loading)
  console.warn(
    `rtkit ${loading} is loading on a page where rtkit ${first} registered the <rt-*> tags first: ` +
      `the tags stay ${first}'s (custom elements cannot be redefined), and instanceof checks against ${loading}'s classes fail. ` +
      `To run ${loading}'s own tags, register them under a prefix with defineTags({ prefix }) of rtkit/define.`,
  )
}
