// The demo page: registers every tag from source (Vite serves the TypeScript),
// gives each browser window its own session when asked, and wires the theme picker.
import '../components/index.ts'

const provider = document.querySelector('rt-provider')!
// Two windows of one browser share localStorage; `?session=2` keeps a second, separate sign-in.
const session = new URLSearchParams(location.search).get('session')
if (session) provider.storageKey = `rtkit-demo-${session.replace(/[^\w-]/g, '')}`

// The page follows the OS ("System") or a fixed scheme; the tags follow the page through
// --rt-color-scheme (they are light by default, whatever the OS: see the README, "Theming").
const scheme = document.querySelector<HTMLSelectElement>('#scheme')!
const applyScheme = () => {
  document.documentElement.style.setProperty('--rt-color-scheme', scheme.value)
  document.documentElement.style.colorScheme = scheme.value === 'auto' ? 'light dark' : scheme.value
}
scheme.addEventListener('change', applyScheme)
applyScheme()

// The tags speak the language of the nearest lang attribute and mirror under dir="rtl" (README, "Language and direction").
const language = document.querySelector<HTMLSelectElement>('#language')!
language.addEventListener('change', () => {
  for (const section of document.querySelectorAll('main')) {
    section.lang = language.value
    section.dir = language.value === 'ar' ? 'rtl' : 'ltr'
  }
})

// Every rtkit event bubbles out of its tag; log them to show what embedders can hook into.
for (const name of [
  'rt-login',
  'rt-logout',
  'rt-task-add',
  'rt-task-move',
  'rt-task-rename',
  'rt-task-remove',
  'rt-task-change',
  'rt-message-send',
  'rt-message-change',
  'rt-command-confirm',
  'rt-command-reject',
] as const) {
  document.addEventListener(name, (event) => console.debug(name, event.detail))
}
