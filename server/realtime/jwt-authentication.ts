import { DeepstreamPlugin, type DeepstreamAuthentication, type DeepstreamAuthenticationResult } from '@deepstream/types'
import type { Principal } from '../../contracts/principal.ts'
import type { RealtimeClientData } from '../../contracts/realtime.ts'
import type { JwtConfig } from '../config.ts'
import { verifyToken } from '../lib/tokens.ts'

/** What a client sends to `client.login(…)`. */
export interface RealtimeAuthData {
  token: string
}

/**
 * deepstream authentication with the same JWT the HTTP API issues, checked
 * by the one verifier in `server/lib/tokens.ts` (algorithm pinned, `iss`,
 * `aud`, `exp`). The user id is the token subject; `clientData` is the public
 * profile that presence shows; `serverData` carries the whole principal,
 * role included, for the permission plugin.
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
    return { isValid: true, id: principal.id, clientData: { ...clientData }, serverData: { ...principal } }
  }
}
