import type { UserProfile } from '../../contracts/index.ts'

/**
 * Avatar backgrounds; each keeps white initials above 4.5:1 contrast.
 * `presence.styles.ts` turns them into classes `colour-0` … `colour-7`.
 */
export const AVATAR_PALETTE = ['#0b5cd5', '#7a3dd8', '#b3261e', '#1a7f37', '#8a5a00', '#005f73', '#9d174d', '#3f3f46'] as const

/**
 * Up to two letters: the first of the first two words of the name (or the username).
 *
 * @example
 * initialsOf({ id: '1', username: 'alice', name: 'Alice Liddell' }) // 'AL'
 */
export function initialsOf(user: UserProfile): string {
  const words = (user.name || user.username).trim().split(/\s+/).filter(Boolean)
  const letters = words.length > 1 ? [words[0]!, words[1]!].map((word) => [...word][0]) : [...(words[0] ?? '?')].slice(0, 2)
  return letters.join('').toUpperCase()
}

/**
 * The avatar colour of a user, as an index into {@link AVATAR_PALETTE}: the
 * same user always gets the same one. A class per colour rather than an
 * inline style, so the tag works under a `style-src 'self'` Content Security Policy.
 *
 * @example
 * colourIndexOf('user-1') // always the same number from 0 to 7
 */
export function colourIndexOf(id: string): number {
  let hash = 0
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) | 0
  return Math.abs(hash) % AVATAR_PALETTE.length
}
