import jwt from 'jsonwebtoken'
import { DeepstreamPlugin, type DeepstreamAuthentication, type DeepstreamAuthenticationResult } from '@deepstream/types'
import { Role, type Principal } from '../../contracts/principal.ts'
import type { RealtimeClientData } from '../../contracts/realtime.ts'
import type { JwtConfig } from '../config.ts'
import { verifyToken } from '../lib/tokens.ts'

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

/**
 * deepstream authentication with the same JWT the HTTP API issues, checked
 * by the one verifier in `server/lib/tokens.ts` (algorithm pinned, `iss`,
 * `aud`, `exp`). The user id is the token subject; `clientData` is the public
 * profile that presence shows; `serverData` carries the whole principal,
 * role included, for the permission plugin. Service principals (the bridge)
 * are kept out of presence, see {@link HIDDEN_FROM_PRESENCE}.
 *
 * @example
 * server.set('authentication', new JwtAuthentication(config.jwt))
 * // client side: await client.login({ token })
 */
export class JwtAuthentication extends DeepstreamPlugin implements DeepstreamAuthentication {
  description = 'rtkit JWT authentication'

  constructor(private readonly keys: JwtConfig) {
    super()
  }

  async isValidUser(_connectionData: unknown, authData: unknown): Promise<DeepstreamAuthenticationResult> {
    const token = (authData as Partial<RealtimeAuthData> | null)?.token
    let principal: Principal
    try {
      principal = verifyToken(typeof token === 'string' ? token : undefined, this.keys)
    } catch {
      // Answer "invalid" rather than null: null would let another plugin try.
      return { isValid: false, clientData: { error: 'invalid or expired token' } }
    }
    const clientData: RealtimeClientData = { id: principal.id, username: principal.username, name: principal.name }
    const id = principal.role === Role.service ? HIDDEN_FROM_PRESENCE : principal.id
    // `expiresAt` (seconds) lets the permission plugin end the session when the token expires.
    const expiresAt = (jwt.decode(token as string) as jwt.JwtPayload | null)?.exp
    return { isValid: true, id, clientData: { ...clientData }, serverData: { ...principal, ...(expiresAt ? { expiresAt } : {}) } }
  }
}
