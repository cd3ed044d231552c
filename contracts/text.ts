import * as z from 'zod/mini'
import { storedText } from './stored-text.ts'

/** Unicode control (Cc) and format (Cf) characters: NUL, BEL, bidi overrides (U+202E), zero-width joiners, … */
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}]/u
/** The same, except a plain line feed (messages may span lines). */
const CONTROL_OR_FORMAT_BUT_NEWLINE = /(?!\n)[\p{Cc}\p{Cf}]/u
/** A UTF-16 surrogate without its other half: not a character, and not valid Unicode (in `u` mode a paired one is read as its code point). */
const LONE_SURROGATE = /\p{Cs}/u
/**
 * Characters Unicode says a renderer draws as nothing when it does not
 * support them (`Default_Ignorable_Code_Point`: U+034F, U+115F, U+1160,
 * U+3164, U+FFA0, …), from the engine's own Unicode tables, so a new Unicode
 * version is followed without a list to keep. Variation selectors are the
 * exception: they choose how the character before them is drawn (the emoji
 * form of ❤ is U+2764 U+FE0F) and show nothing on their own.
 */
const IGNORABLE = /(?![\uFE00-\uFE0F\u{E0100}-\u{E01EF}])\p{Default_Ignorable_Code_Point}/u
/**
 * Letters and symbols that are drawn blank but are not default-ignorable:
 * the braille blank (U+2800), and the Hangul fillers (U+115F, U+1160, U+3164,
 * U+FFA0; default-ignorable too, listed so the intent does not hang on that).
 */
const BLANK = '\\u2800\\u115F\\u1160\\u3164\\uFFA0'
/**
 * Something a reader sees: not a separator, space, control, format,
 * unassigned or private-use character (`\p{C}`), not default-ignorable, not
 * a blank letter, and not a combining mark (`\p{M}`), which is drawn only on
 * the character before it.
 */
const VISIBLE = new RegExp(`[^\\p{Z}\\p{C}\\p{M}\\s\\p{Default_Ignorable_Code_Point}${BLANK}]`, 'u')
/**
 * How many combining marks may follow one character (after NFC). Real words
 * stack at most four: a Hebrew letter with dagesh, vowel point, cantillation
 * mark and meteg; a Tibetan stack of subjoined letters with a vowel sign;
 * Devanagari's nukta, vowel sign and anusvara are three. Five leaves one to
 * spare; text that spills over the lines around it ("Zalgo") needs dozens.
 * Unicode's own bound (UAX #15 Stream-Safe Text, 30) is for buffers, not for
 * what a reader should have to look at.
 */
export const MAX_COMBINING_MARKS = 5
const TOO_MANY_MARKS = new RegExp(`\\p{M}{${MAX_COMBINING_MARKS + 1}}`, 'u')

/**
 * User-visible text as the server stores it: `storedText` (trimmed, NFC),
 * between 1 and `max` characters, valid Unicode (no lone surrogate), without control, format or
 * default-ignorable characters (a line feed is allowed where `multiline`),
 * with at most `MAX_COMBINING_MARKS` combining marks on one character, and
 * with at least one visible character, so that nobody can post an invisible
 * name, spoof text direction with U+202E, ring a terminal's bell, or pour
 * diacritics over the lines around it.
 *
 * @example
 * const title = visibleText({ max: 200 })
 */
export function visibleText({ max, multiline = false }: { max: number; multiline?: boolean }) {
  const forbidden = multiline ? CONTROL_OR_FORMAT_BUT_NEWLINE : CONTROL_OR_FORMAT
  return z.string().check(
    z.overwrite(storedText),
    // One message per field: each check stops the ones after it.
    z.minLength(1, { error: 'must not be empty', abort: true }),
    z.maxLength(max, { error: `must be at most ${max} characters`, abort: true }),
    z.refine((text) => !LONE_SURROGATE.test(text), { error: 'must be valid Unicode (it holds half a surrogate pair)', abort: true }),
    z.refine((text) => !forbidden.test(text), {
      error: multiline
        ? 'must not contain control or format characters other than line breaks'
        : 'must not contain control or format characters',
      abort: true,
    }),
    z.refine((text) => !IGNORABLE.test(text), { error: 'must not contain invisible characters', abort: true }),
    z.refine((text) => !TOO_MANY_MARKS.test(text), {
      error: `must not stack more than ${MAX_COMBINING_MARKS} combining marks on one character`,
      abort: true,
    }),
    z.refine((text) => VISIBLE.test(text), 'must contain a visible character'),
  )
}

/**
 * A display name from a host token's `name` claim, made safe to show: NFC,
 * lone surrogates, control, format and default-ignorable characters removed, combining marks
 * beyond `MAX_COMBINING_MARKS` on one character dropped, whitespace
 * collapsed, at most 64 characters; `fallback` (the subject) when nothing
 * visible is left.
 */
export function safeDisplayName(raw: unknown, fallback: string): string {
  if (typeof raw !== 'string') return fallback
  const cleaned = raw
    .normalize('NFC')
    .replace(new RegExp(LONE_SURROGATE.source, 'gu'), '')
    .replace(new RegExp(CONTROL_OR_FORMAT.source, 'gu'), '')
    .replace(new RegExp(IGNORABLE.source, 'gu'), '')
    .replace(new RegExp(`(\\p{M}{${MAX_COMBINING_MARKS}})\\p{M}+`, 'gu'), '$1')
    .replace(/\s+/gu, ' ')
    .trim()
    .slice(0, 64)
  return VISIBLE.test(cleaned) ? cleaned : fallback
}
