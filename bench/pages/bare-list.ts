import { virtualize } from '@lit-labs/virtualizer/virtualize.js'
import { css, html, LitElement } from 'lit'

/** What the bare list shows of a task: the same objects the board gets. */
interface Item {
  id: string
  title: string
}

/**
 * The render figure's baseline (`render.baseline`, `render.changeBaseline`):
 * a bare Lit element showing a list through `@lit-labs/virtualizer`, with no
 * kit, no columns and the virtualizer's defaults, the way anyone would write
 * one. Bundled by the render figure into the benchmark page, beside the
 * kit's bundle, so both render the same 5,000 tasks in the same page.
 */
export class BareList extends LitElement {
  static override properties = { items: { attribute: false } }
  // The height of one board column (28rem), so the viewport asks for a comparable number of rows.
  static override styles = css`
    :host {
      display: block;
      height: 28rem;
      width: 20rem;
    }
    .list {
      height: 100%;
    }
    .item {
      padding: 0.5rem;
      border-bottom: 1px solid #ddd;
    }
  `

  items: readonly Item[] = []

  override render() {
    return html`<div class="list">
      ${virtualize({
        items: this.items as Item[],
        keyFunction: (item) => item.id,
        renderItem: (item) => html`<div class="item" part="item">${item.title}</div>`,
        scroller: true,
      })}
    </div>`
  }
}

customElements.define('bench-bare-list', BareList)
