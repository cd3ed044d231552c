import { css, unsafeCSS } from 'lit'
import { AVATAR_PALETTE } from './avatar.ts'

// Constant, trusted values: a rule per colour, so no inline style is ever needed.
const colourRules = unsafeCSS(AVATAR_PALETTE.map((colour, index) => `.colour-${index} { background: ${colour}; }`).join('\n'))

export const presenceStyles = css`
  :host {
    display: inline-block;
    max-width: 100%;
    --_overlap: var(--rt-presence-overlap, 0.375rem);
    --_size: var(--rt-avatar-size, 2rem);
  }

  .base {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: calc(var(--_space) * 0.5) var(--_space);
    padding: calc(var(--_space) * 0.25) calc(var(--_space) * 0.5);
    border-radius: var(--_radius);
    background: var(--_surface);
  }

  ul {
    display: flex;
    flex-wrap: wrap;
    row-gap: calc(var(--_space) * 0.5);
    min-width: 0;
    margin: 0;
    padding: 0;
    /* Every avatar overlaps its neighbour; this padding gives the first of each line its room back. */
    padding-inline-start: var(--_overlap);
    list-style: none;
  }

  li {
    margin-inline-start: calc(var(--_overlap) * -1);
  }

  .avatar {
    flex: none;
    display: grid;
    place-items: center;
    width: var(--_size);
    height: var(--_size);
    border-radius: 50%;
    border: 2px solid var(--_surface);
    color: #ffffff;
    font-size: calc(var(--_size) * 0.4);
    font-weight: 600;
    line-height: 1;
    white-space: nowrap;
    user-select: none;
  }

  ${colourRules}

  .more {
    background: var(--_surface-alt);
    color: var(--_text);
  }

  .count {
    color: var(--_muted);
  }
`
