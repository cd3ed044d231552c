import { css } from 'lit'

export const chatStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    height: var(--rt-chat-height, 24rem);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    overflow: hidden;
  }

  .log {
    flex: 1;
    overflow-y: auto;
    padding: var(--_space);
    display: flex;
    flex-direction: column;
    gap: var(--_space);
  }

  .empty {
    color: var(--_muted);
    margin: auto;
  }

  .message {
    display: grid;
    gap: 0.125rem;
    max-width: 85%;
    padding: calc(var(--_space) * 0.75) var(--_space);
    border-radius: var(--_radius);
    background: var(--_surface-alt);
    align-self: flex-start;
  }

  .message.own {
    align-self: flex-end;
    background: var(--rt-chat-own-background, light-dark(#dce9ff, #1f3557));
  }

  .message.pending {
    opacity: 0.75;
  }

  .meta {
    display: flex;
    gap: var(--_space);
    color: var(--_muted);
    font-size: 0.8125em;
  }

  .author {
    font-weight: 600;
    color: var(--_text);
  }

  .text {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }

  .message-actions {
    display: flex;
    gap: calc(var(--_space) * 0.5);
    justify-content: flex-end;
  }

  .message-actions button {
    padding: 0 calc(var(--_space) * 0.5);
    font-size: 0.8125em;
  }

  .composer {
    display: flex;
    gap: var(--_space);
    padding: var(--_space);
    border-top: 1px solid var(--_border);
  }

  textarea {
    flex: 1;
    resize: none;
    min-height: 2.5em;
  }

  .errors.has-errors {
    display: grid;
    gap: calc(var(--_space) * 0.5);
    padding: var(--_space);
    border-top: 1px solid var(--_border);
  }

  .error {
    display: flex;
    align-items: center;
    gap: var(--_space);
    color: var(--_danger);
  }

  .error-message {
    flex: 1;
  }

  .notice {
    margin: var(--_space);
  }
`
