import { css } from 'lit'

export const connectionStatusStyles = css`
  :host {
    display: inline-block;
  }

  .base {
    display: inline-flex;
    align-items: center;
    gap: var(--_space);
    padding: calc(var(--_space) * 0.5) var(--_space);
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_surface);
  }

  .indicator {
    width: var(--rt-connection-indicator-size, 0.625rem);
    height: var(--rt-connection-indicator-size, 0.625rem);
    border-radius: 50%;
    background: var(--_muted);
    flex: none;
  }

  .indicator[data-status='open'] {
    background: var(--rt-connection-color-open, var(--_success));
  }

  .indicator[data-status='connecting'],
  .indicator[data-status='reconnecting'] {
    background: var(--rt-connection-color-connecting, var(--_warning));
  }

  .indicator[data-status='offline'] {
    background: var(--rt-connection-color-offline, var(--_danger));
  }

  .queued {
    color: var(--_muted);
  }
`
