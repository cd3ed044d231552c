import { css } from 'lit'

export const loginStyles = css`
  :host {
    max-width: var(--rt-login-width, 22rem);
  }

  form,
  .signed-in,
  .host-signed-out {
    display: grid;
    gap: var(--_space);
    padding: calc(var(--_space) * 2);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }

  .signed-in {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space);
  }

  .host-signed-out {
    margin: 0;
    color: var(--_muted);
  }

  .field {
    display: grid;
    gap: calc(var(--_space) * 0.5);
  }

  label {
    font-weight: 600;
  }

  .field-error,
  .form-error {
    margin: 0;
    color: var(--_danger);
    font-size: 0.875em;
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space);
  }

  .link {
    border: none;
    background: none;
    padding: 0;
    color: var(--_accent);
    text-decoration: underline;
  }

  h2 {
    margin: 0;
    font-size: 1.1em;
  }
`
