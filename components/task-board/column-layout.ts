import { FlowLayout } from '@lit-labs/virtualizer/layouts/flow.js'

/** How far beyond its visible part a virtualized column renders cards, in pixels. */
export const COLUMN_OVERHANG_PX = 320

/**
 * The virtualizer's flow layout with a shorter reach beyond the visible part
 * of the column: its default (1,000 px on each side) rendered about 36 cards
 * per 28rem column where about 10 show, and the first render of a long board
 * spent most of its time creating and measuring cards nobody sees. 320 px is
 * still several cards ahead of a scroll.
 */
export class ColumnLayout extends FlowLayout {
  constructor(...args: ConstructorParameters<typeof FlowLayout>) {
    super(...args)
    this._overhang = COLUMN_OVERHANG_PX
  }
}
