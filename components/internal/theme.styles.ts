import { css } from 'lit'

/**
 * Design tokens and base rules every tag starts from.
 *
 * The scheme follows the host page, not the operating system: tags are light
 * unless the page sets `--rt-color-scheme: dark` (on the tag or any
 * ancestor). `--rt-color-scheme: auto` on the page or a wrapper (or
 * `light dark` anywhere) follows the OS setting instead. Colours use
 * `light-dark()`, and every text sits on a surface the tag paints itself
 * (`--rt-color-surface`), so contrast never depends on the host's background.
 * Each `--rt-*` token can be overridden on its own.
 */
export const themeStyles = css`
  :host {
    color-scheme: var(--rt-color-scheme, light);
    --_text: var(--rt-color-text, light-dark(#1b1f24, #e6e9ee));
    --_muted: var(--rt-color-muted, light-dark(#4f5863, #aab2bd));
    --_surface: var(--rt-color-surface, light-dark(#ffffff, #181b20));
    --_surface-alt: var(--rt-color-surface-alt, light-dark(#f2f4f7, #23272e));
    --_border: var(--rt-color-border, light-dark(#c9ced6, #3b424c));
    --_accent: var(--rt-color-accent, light-dark(#0b5cd5, #7fb0ff));
    --_on-accent: var(--rt-color-on-accent, light-dark(#ffffff, #0d1117));
    --_danger: var(--rt-color-danger, light-dark(#b3261e, #ff8f87));
    --_success: var(--rt-color-success, light-dark(#1a7f37, #5fd37a));
    --_warning: var(--rt-color-warning, light-dark(#8a5a00, #f0b429));
    --_radius: var(--rt-radius, 6px);
    --_space: var(--rt-space, 0.5rem);
    --_focus: var(--rt-focus-ring, 2px solid var(--_accent));

    display: block;
    box-sizing: border-box;
    color: var(--_text);
    font-family: var(--rt-font-family, system-ui, -apple-system, 'Segoe UI', sans-serif);
    font-size: var(--rt-font-size, 0.9375rem);
    line-height: 1.4;
  }

  :host([hidden]) {
    display: none;
  }

  /* "auto" is not a color-scheme value: a style query turns it into "light dark".
     Set outside the tag, the host matches; set on the tag itself, the elements at
     the top of its shadow root do (their container is the host), and the rest
     inherit. Not every element: one whose style depends on a container query
     cannot share a cached style, and a board has hundreds of alike elements. */
  @container style(--rt-color-scheme: auto) {
    :host,
    :host > * {
      color-scheme: light dark;
    }
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  :focus-visible {
    outline: var(--_focus);
    outline-offset: 2px;
  }

  button,
  input,
  textarea,
  select {
    font: inherit;
    color: inherit;
  }

  button {
    cursor: pointer;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface-alt);
    padding: calc(var(--_space) * 0.5) var(--_space);
  }

  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }

  button:disabled {
    cursor: not-allowed;
    opacity: 0.7;
  }

  input,
  textarea {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    padding: calc(var(--_space) * 0.5) var(--_space);
    min-width: 0;
  }

  [aria-invalid='true'] {
    border-color: var(--_danger);
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  .notice {
    padding: var(--_space);
    border: 1px dashed var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_muted);
  }

  .error-text {
    color: var(--_danger);
  }
`
