import { createHash, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto'

/**
 * The server's half of SCRAM-SHA-256 (RFC 7677), the handshake RethinkDB's
 * drivers speak: checks the client's proof of the password. reqlite runs the
 * handshake but never checks the proof (its password is a constant empty
 * string, marked TODO), so without this any user with any password gets in.
 */
export interface ScramExchange {
  user: string
  clientNonce: string
  /** The server-first message reqlite sent: `r=<full nonce>,s=<salt>,i=<iterations>`. */
  serverFirst: string
  fullNonce: string
  salt: Buffer
  iterations: number
}

const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest()

/** Whether `clientFinal` (`c=biws,r=<nonce>,p=<proof>`) proves knowledge of `password`. */
export function verifyClientProof(exchange: ScramExchange, clientFinal: string, password: string): boolean {
  const fields = new Map(clientFinal.split(',').map((part) => [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)]))
  const proof = Buffer.from(fields.get('p') ?? '', 'base64')
  if (fields.get('r') !== exchange.fullNonce || proof.length !== 32) return false
  const authMessage = `n=${exchange.user},r=${exchange.clientNonce},${exchange.serverFirst},c=${fields.get('c') ?? ''},r=${exchange.fullNonce}`
  const salted = pbkdf2Sync(password, exchange.salt, exchange.iterations, 32, 'sha256')
  const clientKey = hmac(salted, 'Client Key')
  const storedKey = createHash('sha256').update(clientKey).digest()
  const signature = hmac(storedKey, authMessage)
  const expected = Buffer.from(clientKey.map((byte, i) => byte ^ (signature[i] ?? 0)))
  return timingSafeEqual(expected, proof)
}
