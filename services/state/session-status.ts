import type { UserProfile } from '../../contracts/index.ts'

/**
 * Whether someone is signed in.
 *
 * @example
 * if (session.status === SessionStatus.signedIn) greet(session.user.name)
 */
export const SessionStatus = {
  signedOut: 'signedOut',
  /** A login/register request, or the check of a restored token, is running. */
  signingIn: 'signingIn',
  signedIn: 'signedIn',
} as const
export type SessionStatus = (typeof SessionStatus)[keyof typeof SessionStatus]

/** The session as components see it; the token itself is never exposed. */
export type SessionView =
  | { readonly status: 'signedOut'; readonly user: null; readonly expiresAt: null }
  | { readonly status: 'signingIn'; readonly user: null; readonly expiresAt: null }
  | { readonly status: 'signedIn'; readonly user: UserProfile; readonly expiresAt: number }
