import { FlowLayout } from '@lit-labs/virtualizer/layouts/flow.js'

/** How far beyond its visible part a virtualized column renders cards, in pixels: about five cards. */
export const COLUMN_OVERHANG_PX = 200

/**
 * A card's height before any is measured, in pixels, with the space below it:
 * a one-line card of the default theme (35 px and a 6 px margin at a 16 px
 * root font size).
 */
export const CARD_ESTIMATE_PX = 41

/**
 * The virtualizer's flow layout, tuned for a board's columns:
 * - a shorter reach beyond the visible part of the column: its default
 *   (1,000 px on each side) rendered about 36 cards per 28rem column where
 *   about 10 show, and the first render of a long board spent most of its
 *   time creating and measuring cards nobody sees. 200 px keeps five cards
 *   ahead of a scroll, as many as TanStack Virtual's default overscan;
 * - a first guess of a card's height near the real one: its default (100 px)
 *   made the first pass render under half the cards a column needs, and a
 *   second pass, once those were measured, render the rest, laying out the
 *   page again for each of the three columns. Measured sizes replace the
 *   guess as soon as there are any, so another theme only costs that second
 *   pass again.
 */
export class ColumnLayout extends FlowLayout {
  constructor(...args: ConstructorParameters<typeof FlowLayout>) {
    super(...args)
    this._overhang = COLUMN_OVERHANG_PX
    this._itemSize = { width: this._itemSize.width, height: CARD_ESTIMATE_PX }
  }
}
