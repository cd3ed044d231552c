// Finds a Chromium to drive (browser downloads do not work here): $CHROME_PATH,
// else the first chromium/chrome executable on $PATH. Shared by the browser
// test runner config and the end-to-end tests.
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

/** Flags Chromium needs to run headless in a container. */
export const chromiumArgs = [
  '--no-sandbox',
  '--headless=new',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome']

/** @returns {string} the path of a Chromium executable; throws with a hint when none is found */
export function chromiumPath() {
  if (process.env.CHROME_PATH) return process.env.CHROME_PATH
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of NAMES) {
      const candidate = join(dir, name)
      try {
        accessSync(candidate, constants.X_OK)
        return candidate
      } catch {
        // not here
      }
    }
  }
  throw new Error('No Chromium found: install it (apt-get install -y chromium) or set CHROME_PATH')
}
