// No imports: the client bundles this (services/commands/server-normal-form.ts), not zod.

/**
 * `text` as the server stores it, before it is checked: trimmed and in NFC.
 * The server's schemas (`visibleText`) and the client's optimistic commands
 * (`services/commands/server-normal-form.ts`) both call this, so the value a
 * command shows is the value the server keeps.
 *
 * @example
 * storedText('  Cafe\u0301 ') // 'Café'
 */
export function storedText(text: string): string {
  return text.trim().normalize('NFC')
}
