import { DeepstreamPlugin, type DeepstreamAuthentication, type DeepstreamAuthenticationResult } from '@deepstream/types'
import { Role, type Principal } from '../../contracts/principal.ts'
import type { RealtimeClientData } from '../../contracts/realtime.ts'
import { asDatabaseUnavailable } from '../db/unavailable.ts'
import { log } from '../lib/log.ts'
import { assertSessionLive } from '../lib/session-guard.ts'
import type { TokenSource, VerifiedToken, Verifier } from '../lib/tokens.ts'

/**
 * The deepstream user id of service principals. deepstream's presence
 * leaves out exactly this id, so the bridge does not show up as a user who
 * is online; the permission plugin reads the role from `serverData`.
 */
export const HIDDEN_FROM_PRESENCE = 'OPEN'

/** What a client sends to `client.login(…)`. */
export interface RealtimeAuthData {
  token: string
}

/** What the authentication plugin keeps in a session's `serverData`. */
export interface SessionData extends Principal {
  /** The token's `exp`, seconds: the session ends then (`session-expiry.ts`) unless refreshed. */
  expiresAt: number
  /** The token's revocation key (`VerifiedToken.key`). */
  tokenKey: string
  source: TokenSource
  /** The token's `iat`, seconds, if any: an account whose sessions were ended closes the older ones. */
  issuedAt?: number
}

/** `serverData` for a verified token. */
export function sessionData(token: VerifiedToken): SessionData {
  return {
    ...token.principal,
    expiresAt: token.expiresAt,
    tokenKey: token.key,
    source: token.source,
    ...(token.issuedAt !== undefined ? { issuedAt: token.issuedAt } : {}),
  }
}

/**
 * Checks a token before it opens or extends a realtime session: verified by
 * the one verifier (`server/lib/tokens.ts`), not signed out, account not
 * deleted. When the database cannot be asked, a verified token is let in
 * (and logged): refusing would disconnect every user during a database
 * outage, while revocations are enforced again on every HTTP call.
 */
export async function verifyForRealtime(verifier: Verifier, token: unknown, checkSession = true): Promise<VerifiedToken> {
  const verified = await verifier.verify(typeof token === 'string' ? token : undefined)
  if (!checkSession) return verified
  try {
    await assertSessionLive(verified)
  } catch (error) {
    if (!asDatabaseUnavailable(error)) throw error
    log.warn({ err: error }, 'could not check the session in the database; letting the verified token in')
  }
  return verified
}

/**
 * deepstream authentication with the same tokens the HTTP API accepts (rtkit
 * accounts and, when configured, the host's). The user id is the token
 * subject; `clientData` is the public profile that presence shows;
 * `serverData` carries the principal (role, access claim), the token's
 * expiry and key, for the permission plugin. Service principals (the bridge)
 * are kept out of presence, see {@link HIDDEN_FROM_PRESENCE}; only rtkit's
 * own key issues them.
 *
 * @example
 * server.set('authentication', new JwtAuthentication(createVerifier(config.jwt, config.hostIssuer)))
 * // client side: await client.login({ token })
 */
export class JwtAuthentication extends DeepstreamPlugin implements DeepstreamAuthentication {
  description = 'rtkit JWT authentication'

  /** @param checkSessions ask the database about revocations and deleted accounts (when this process reaches it) */
  constructor(
    private readonly verifier: Verifier,
    private readonly checkSessions = true,
  ) {
    super()
  }

  async isValidUser(_connectionData: unknown, authData: unknown): Promise<DeepstreamAuthenticationResult> {
    let token: VerifiedToken
    try {
      token = await verifyForRealtime(this.verifier, (authData as Partial<RealtimeAuthData> | null)?.token, this.checkSessions)
    } catch {
      // Answer "invalid" rather than null: null would let another plugin try.
      return { isValid: false, clientData: { error: 'invalid, expired or revoked token' } }
    }
    const { principal } = token
    const clientData: RealtimeClientData = { id: principal.id, username: principal.username, name: principal.name }
    const id = principal.role === Role.service ? HIDDEN_FROM_PRESENCE : principal.id
    return { isValid: true, id, clientData: { ...clientData }, serverData: { ...sessionData(token) } }
  }
}
