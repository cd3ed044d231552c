import { css } from 'lit'

export const presenceStyles = css`
  :host {
    display: inline-block;
  }

  .base {
    display: inline-flex;
    align-items: center;
    gap: var(--_space);
  }

  ul {
    display: flex;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  li + li {
    margin-inline-start: calc(var(--rt-presence-overlap, 0.375rem) * -1);
  }

  .avatar {
    display: grid;
    place-items: center;
    width: var(--rt-avatar-size, 2rem);
    height: var(--rt-avatar-size, 2rem);
    border-radius: 50%;
    border: 2px solid var(--_surface);
    background: var(--_avatar-bg);
    color: #ffffff;
    font-size: calc(var(--rt-avatar-size, 2rem) * 0.4);
    font-weight: 600;
    user-select: none;
  }

  .more {
    background: var(--_surface-alt);
    color: var(--_text);
  }

  .count {
    color: var(--_muted);
  }
`
