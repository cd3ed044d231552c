import * as z from 'zod/mini'

/** Unicode control (Cc) and format (Cf) characters: NUL, BEL, bidi overrides (U+202E), zero-width joiners, … */
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}]/u
/** The same, except a plain line feed (messages may span lines). */
const CONTROL_OR_FORMAT_BUT_NEWLINE = /(?!\n)[\p{Cc}\p{Cf}]/u
/** Something a reader sees: not a separator, space, control or format character. */
const VISIBLE = /[^\p{Z}\p{C}\s]/u

/**
 * User-visible text as the server stores it: trimmed, normalised to NFC,
 * between `min` and `max` characters, without control or format characters
 * (a line feed is allowed where `multiline`), and with at least one visible
 * character, so that nobody can post an invisible name, spoof text direction
 * with U+202E, or ring a terminal's bell.
 *
 * @example
 * const title = visibleText({ max: 200 })
 */
export function visibleText({ max, multiline = false }: { max: number; multiline?: boolean }) {
  const forbidden = multiline ? CONTROL_OR_FORMAT_BUT_NEWLINE : CONTROL_OR_FORMAT
  return z.string().check(
    z.trim(),
    z.normalize('NFC'),
    // One message per field: each check stops the ones after it.
    z.minLength(1, { error: 'must not be empty', abort: true }),
    z.maxLength(max, { error: `must be at most ${max} characters`, abort: true }),
    z.refine((text) => !forbidden.test(text), {
      error: multiline
        ? 'must not contain control or format characters other than line breaks'
        : 'must not contain control or format characters',
      abort: true,
    }),
    z.refine((text) => VISIBLE.test(text), 'must contain a visible character'),
  )
}

/**
 * A display name from a host token's `name` claim, made safe to show: NFC,
 * control and format characters removed, whitespace collapsed, at most 64
 * characters; `fallback` (the subject) when nothing visible is left.
 */
export function safeDisplayName(raw: unknown, fallback: string): string {
  if (typeof raw !== 'string') return fallback
  const cleaned = raw.normalize('NFC').replace(new RegExp(CONTROL_OR_FORMAT.source, 'gu'), '').replace(/\s+/gu, ' ').trim().slice(0, 64)
  return VISIBLE.test(cleaned) ? cleaned : fallback
}
