/**
 * The reference page of the tags (`/docs/` of `npm start`), made from
 * `custom-elements.json` alone, in the manner of Shoelace's docs: per tag its
 * summary, attributes and properties, events, slots, parts and CSS custom
 * properties, and its JSDoc `@example` rendered live (inside a provider
 * pointing at the demo's own API). Everything from the manifest is escaped,
 * except the examples, which are the components' own JSDoc and are meant to
 * be markup.
 */

/** The parts of a custom-elements manifest (schema 2.x) this page reads. */
export interface Manifest {
  modules: Array<{ path: string; declarations?: Declaration[] }>
}

interface Described {
  name: string
  description?: string
  type?: { text: string }
  default?: string
}

interface Declaration {
  kind: string
  name: string
  tagName?: string
  customElement?: boolean
  summary?: string
  description?: string
  attributes?: Array<Described & { fieldName?: string }>
  members?: Array<Described & { kind: string; privacy?: string; static?: boolean; readonly?: boolean; attribute?: string }>
  events?: Described[]
  slots?: Described[]
  cssParts?: Described[]
  cssProperties?: Described[]
  /** Kept by the `rtkit-examples` analyzer plugin (custom-elements-manifest.config.mjs). */
  examples?: string[]
}

/** A tag of the manifest: its element name and declaration. */
export interface TagReference {
  tagName: string
  declaration: Declaration
}

/** Every custom element the manifest declares, in tag-name order. */
export function tagsOf(manifest: Manifest): TagReference[] {
  return manifest.modules
    .flatMap((module) => module.declarations ?? [])
    .filter((declaration) => declaration.customElement && declaration.tagName)
    .map((declaration) => ({ tagName: declaration.tagName!, declaration }))
    .sort((a, b) => a.tagName.localeCompare(b.tagName))
}

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;')

/** Escaped text with its `code` spans, the only markdown the components' JSDoc uses. */
const prose = (text = '') =>
  escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${paragraph}</p>`)
    .join('')

function table(title: string, id: string, headings: string[], rows: string[][]): string {
  if (rows.length === 0) return ''
  const head = headings.map((heading) => `<th scope="col">${heading}</th>`).join('')
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('')
  return `<h3 id="${id}">${title}</h3><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`
}

const code = (text: string | undefined) => (text ? `<code>${escapeHtml(text)}</code>` : '')

/** Public properties: fields that are not private, protected, static or `#private`. */
function propertiesOf(declaration: Declaration) {
  return (declaration.members ?? []).filter(
    (member) => member.kind === 'field' && !member.privacy && !member.static && !member.name.startsWith('#'),
  )
}

function tagSection({ tagName, declaration }: TagReference): string {
  const id = tagName
  const attributes = (declaration.attributes ?? []).map((attribute) => [
    code(attribute.name),
    code(attribute.fieldName),
    code(attribute.type?.text),
    code(attribute.default),
    prose(attribute.description),
  ])
  const properties = propertiesOf(declaration).map((member) => [
    code(member.name),
    code(member.attribute),
    code(member.type?.text),
    member.readonly ? 'read-only' : code(member.default),
    prose(member.description),
  ])
  const examples = declaration.examples ?? []
  // The first example, live; a comment in it introduces variants that are only shown (other servers, say).
  const live = examples[0]?.split('<!--')[0]!.trim()
  // Tags other than the provider find the demo's API through a provider around them.
  const liveMarkup =
    live && tagName !== 'rt-provider' ? `<rt-provider api-url="/api" realtime-url="/deepstream">${live}</rt-provider>` : live
  return `<section class="tag" id="${id}" data-tag="${tagName}">
  <h2><code>&lt;${tagName}&gt;</code> <small>${escapeHtml(declaration.name)}</small></h2>
  ${prose(declaration.summary)}${prose(declaration.description)}
  ${live ? `<h3 id="${id}-example">Example</h3><div class="live">${liveMarkup}</div>` : ''}
  ${examples.map((example) => `<pre><code>${escapeHtml(example)}</code></pre>`).join('')}
  ${table('Attributes', `${id}-attributes`, ['Attribute', 'Property', 'Type', 'Default', 'Description'], attributes)}
  ${table('Properties', `${id}-properties`, ['Property', 'Attribute', 'Type', 'Default', 'Description'], properties)}
  ${table(
    'Events',
    `${id}-events`,
    ['Event', 'Type', 'Description'],
    (declaration.events ?? []).map((event) => [code(event.name), code(event.type?.text), prose(event.description)]),
  )}
  ${table(
    'Slots',
    `${id}-slots`,
    ['Slot', 'Description'],
    (declaration.slots ?? []).map((slot) => [slot.name ? code(slot.name) : '(default)', prose(slot.description)]),
  )}
  ${table(
    'Parts',
    `${id}-parts`,
    ['Part', 'Description'],
    (declaration.cssParts ?? []).map((part) => [code(part.name), prose(part.description)]),
  )}
  ${table(
    'CSS custom properties',
    `${id}-css-properties`,
    ['Property', 'Description'],
    (declaration.cssProperties ?? []).map((property) => [code(property.name), prose(property.description)]),
  )}
</section>`
}

/**
 * The whole page. `script` is the module that registers the tags (the demo
 * server's, served by Vite).
 *
 * @example
 * response.end(renderReference(JSON.parse(readFileSync('dist/custom-elements.json', 'utf8')), '/reference.ts'))
 */
export function renderReference(manifest: Manifest, script: string): string {
  const tags = tagsOf(manifest)
  const nav = tags.map(({ tagName }) => `<li><a href="#${tagName}"><code>&lt;${tagName}&gt;</code></a></li>`).join('')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>rtkit tags: reference</title>
<link rel="stylesheet" href="/demo.css" />
<link rel="stylesheet" href="/reference/reference.css" />
<script type="module" src="${escapeHtml(script)}"></script>
</head>
<body>
<header>
<h1>rtkit tags: reference</h1>
<p>Generated from <code>custom-elements.json</code>. The live examples talk to this demo's server: sign in as
<code>alice</code> or <code>bob</code> (password <code>rtkit-demo</code>) in the <a href="#rt-login"><code>&lt;rt-login&gt;</code></a> example.
Back to <a href="/">the demo</a>.</p>
<nav aria-label="Tags"><ul>${nav}</ul></nav>
</header>
<main>
${tags.map(tagSection).join('\n')}
</main>
</body>
</html>`
}
