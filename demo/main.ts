// The demo page: registers every tag from source (Vite serves the TypeScript),
// gives each browser window its own session when asked, and wires the theme picker.
import '../components/index.ts'

const provider = document.querySelector('rt-provider')!
// Two windows of one browser share localStorage; `?session=2` keeps a second, separate sign-in.
const session = new URLSearchParams(location.search).get('session')
if (session) provider.storageKey = `rtkit-demo-${session.replace(/[^\w-]/g, '')}`

const scheme = document.querySelector<HTMLSelectElement>('#scheme')!
scheme.addEventListener('change', () => {
  if (scheme.value) document.documentElement.style.setProperty('--rt-color-scheme', scheme.value)
  else document.documentElement.style.removeProperty('--rt-color-scheme')
  document.documentElement.style.colorScheme = scheme.value || 'light dark'
})

// Every rtkit event bubbles out of its tag; log them to show what embedders can hook into.
for (const name of [
  'rt-login',
  'rt-logout',
  'rt-task-add',
  'rt-task-move',
  'rt-task-rename',
  'rt-task-remove',
  'rt-message-send',
] as const) {
  document.addEventListener(name, (event) => console.debug(name, (event as CustomEvent).detail))
}
