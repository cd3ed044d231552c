import { css } from 'lit'

export const taskBoardStyles = css`
  .board {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(var(--rt-board-column-min-width, 14rem), 1fr));
    gap: var(--_space);
    align-items: start;
  }

  .column {
    display: flex;
    flex-direction: column;
    gap: var(--_space);
    padding: var(--_space);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--rt-board-column-background, var(--_surface-alt));
    min-width: 0;
  }

  .column.drop-target {
    border-color: var(--_accent);
    box-shadow: inset 0 0 0 1px var(--_accent);
  }

  .column-header {
    display: flex;
    justify-content: space-between;
    align-items: baseline;
    font-weight: 600;
  }

  .count {
    color: var(--_muted);
    font-weight: 400;
  }

  .list {
    max-height: var(--rt-board-column-height, 28rem);
    overflow-y: auto;
    min-height: 2.5rem;
  }

  .list.virtual {
    height: var(--rt-board-column-height, 28rem);
    /* Its size never depends on its cards: laying out one column's cards
       (the virtualizer measures and moves them) leaves the rest of the page alone. */
    contain: strict;
  }

  .empty {
    margin: 0;
    color: var(--_muted);
    font-style: italic;
  }

  .card {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: calc(var(--_space) * 0.5);
    width: 100%;
    margin-block-end: calc(var(--_space) * 0.75);
    padding: calc(var(--_space) * 0.5);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--rt-board-card-background, var(--_surface));
    cursor: grab;
    contain: layout;
  }

  .card.pending {
    border-style: dashed;
  }

  .card.dragging {
    opacity: 0.5;
  }

  .title-cell {
    flex: 1 1 8rem;
    display: flex;
    align-items: center;
    gap: calc(var(--_space) * 0.5);
    min-width: 0;
  }

  .title {
    flex: 1;
    min-width: 0;
    text-align: start;
    border: none;
    background: none;
    padding: 0.125rem;
    overflow-wrap: anywhere;
    cursor: inherit;
  }

  .rename {
    flex: 1;
  }

  .badge {
    flex: none;
    font-size: 0.75em;
    color: var(--_warning);
  }

  .action {
    flex: none;
    padding: 0.125rem 0.375rem;
    border-color: transparent;
    background: none;
    color: var(--_muted);
    font-size: 0.8125em;
  }

  .action:hover,
  .action:focus-visible,
  .action[aria-expanded='true'] {
    color: var(--_text);
    border-color: var(--_border);
  }

  /* The open menu's button anchors the menu (CSS anchor positioning). */
  .move-anchor {
    anchor-name: --rt-move-anchor;
  }

  .move-menu {
    margin: 0;
    padding: calc(var(--_space) * 0.5);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
    box-shadow: 0 0.25rem 1rem rgb(0 0 0 / 0.25);
    /* Without anchor positioning: a sheet at the bottom of the screen, easy to reach with a thumb. */
    inset: auto 0 0 0;
    width: min(100%, 24rem);
    margin-inline: auto;
  }

  @supports (position-area: block-end) {
    .move-menu {
      position-anchor: --rt-move-anchor;
      position-area: block-end span-inline-start;
      position-try-fallbacks: flip-block, flip-inline;
      inset: auto;
      width: max-content;
      min-width: 9rem;
      margin: 0.25rem 0;
    }
  }

  .move-menu[popover]:popover-open {
    display: grid;
    gap: 0.25rem;
  }

  .move-menu button {
    text-align: start;
    padding: calc(var(--_space) * 0.75) var(--_space);
    border-color: transparent;
    background: none;
  }

  .move-menu button:hover,
  .move-menu button:focus-visible {
    background: var(--_surface-alt);
    border-color: var(--_border);
  }

  .add {
    display: flex;
    gap: calc(var(--_space) * 0.5);
  }

  .add input {
    flex: 1;
  }

  .errors.has-errors {
    display: grid;
    gap: calc(var(--_space) * 0.5);
    margin-block-start: var(--_space);
  }

  .error {
    display: flex;
    align-items: center;
    gap: var(--_space);
    padding: calc(var(--_space) * 0.5) var(--_space);
    border: 1px solid var(--_danger);
    border-radius: var(--_radius);
    color: var(--_danger);
    background: var(--_surface);
  }

  .error-message {
    flex: 1;
  }
`
