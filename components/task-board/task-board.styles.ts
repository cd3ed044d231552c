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
  }

  .empty {
    margin: 0;
    color: var(--_muted);
    font-style: italic;
  }

  .card {
    display: flex;
    align-items: center;
    gap: calc(var(--_space) * 0.5);
    width: 100%;
    margin-block-end: calc(var(--_space) * 0.75);
    padding: calc(var(--_space) * 0.5);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--rt-board-card-background, var(--_surface));
    cursor: grab;
  }

  .card.pending {
    border-style: dashed;
  }

  .card.dragging {
    opacity: 0.5;
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

  .icon {
    flex: none;
    padding: 0 0.375rem;
    border-color: transparent;
    background: none;
    color: var(--_muted);
  }

  .icon:hover,
  .icon:focus-visible {
    color: var(--_text);
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
