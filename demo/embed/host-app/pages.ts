import type { HostUser } from './users.ts'

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escape(title)}</title>
    <link rel="icon" href="/favicon.svg" />
    <link rel="stylesheet" href="/host.css" />
    <script type="module" src="/rtkit.bundle.js"></script>
  </head>
  <body>
    ${body}
  </body>
</html>`
}

/** The host's own sign-in form (a cookie session; rtkit is not involved). */
export function signInPage(error = false): string {
  return page(
    'Acme — sign in',
    `<main class="sign-in">
      <h1>Acme</h1>
      <form method="post" action="/login">
        <label>Username <input name="username" autocomplete="username" required /></label>
        <label>Password <input name="password" type="password" autocomplete="current-password" required /></label>
        ${error ? '<p class="error" role="alert">Wrong username or password.</p>' : ''}
        <button type="submit">Sign in</button>
      </form>
      <p class="hint">Users: carol, dave (Acme staff) and erin (a contractor without access to Acme's board); password host-demo.</p>
    </main>`,
  )
}

/** The signed-in page: the host's header, and rtkit's tags signed in with the host's tokens. */
export function appPage(user: HostUser, rtkit: { api: string; realtime: string }): string {
  return page(
    'Acme — launch',
    `<header>
      <strong>Acme</strong>
      <span>Signed in to Acme as ${escape(user.name)}</span>
      <form method="post" action="/logout"><button type="submit">Sign out</button></form>
    </header>
    <rt-provider api-url="${escape(rtkit.api)}" realtime-url="${escape(rtkit.realtime)}" auth-endpoint="/rtkit/token">
      <rt-login></rt-login>
      <rt-connection-status></rt-connection-status>
      <rt-presence></rt-presence>
      <rt-task-board board="acme-launch"></rt-task-board>
      <rt-chat room="acme-lobby"></rt-chat>
    </rt-provider>`,
  )
}
