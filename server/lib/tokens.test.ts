import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import jwt from 'jsonwebtoken'
import { loadConfig, type HostIssuerConfig } from '../config.ts'
import { HostIdp } from '../testing/host-idp.ts'
import { UnauthorizedError } from './errors.ts'
import { bearerToken, CLOCK_SKEW_SECONDS, createVerifier, issueToken, TokenSource } from './tokens.ts'

const profile = { id: 'user-1', username: 'ada', name: 'Ada' }
const keys = loadConfig({ RTKIT_ENV: 'test' }).jwt
const rtkitOnly = createVerifier(keys, undefined)
const hour = () => Math.floor(Date.now() / 1000) + 3600

describe('rtkit tokens', () => {
  it('accepts a token it issued and returns the principal, its key and expiry', async () => {
    const { token, expiresAt } = issueToken(profile, 'user', keys)
    const verified = await rtkitOnly.verify(token)
    assert.deepEqual(verified.principal, { ...profile, role: 'user' })
    assert.equal(verified.source, TokenSource.rtkit)
    assert.equal(verified.expiresAt, expiresAt)
    assert.match(verified.key, /^[\w-]{43}$/, 'a digest of issuer, subject and jti')
  })

  const claims = { username: 'ada', name: 'Ada', role: 'user' }
  const refusals: Array<[string, () => string]> = [
    ['a wrong key', () => jwt.sign(claims, 'x'.repeat(40), { subject: 'u', issuer: 'rtkit', audience: 'rtkit', expiresIn: 60 })],
    ['an unknown issuer', () => jwt.sign(claims, keys.signingKey, { subject: 'u', issuer: 'evil', audience: 'rtkit', expiresIn: 60 })],
    ['a wrong audience', () => jwt.sign(claims, keys.signingKey, { subject: 'u', issuer: 'rtkit', audience: 'evil', expiresIn: 60 })],
    [
      'HS384 when HS256 is pinned',
      () => jwt.sign(claims, keys.signingKey, { algorithm: 'HS384', subject: 'u', issuer: 'rtkit', audience: 'rtkit', expiresIn: 60 }),
    ],
    [
      'alg none',
      () => jwt.sign({ ...claims, sub: 'u', iss: 'rtkit', aud: 'rtkit', exp: hour() }, null as unknown as string, { algorithm: 'none' }),
    ],
    ['no subject', () => jwt.sign(claims, keys.signingKey, { issuer: 'rtkit', audience: 'rtkit', expiresIn: 60 })],
    ['no expiry', () => jwt.sign(claims, keys.signingKey, { subject: 'u', issuer: 'rtkit', audience: 'rtkit' })],
    [
      'an unknown role',
      () => jwt.sign({ ...claims, role: 'admin' }, keys.signingKey, { subject: 'u', issuer: 'rtkit', audience: 'rtkit', expiresIn: 60 }),
    ],
    [
      'an expired token',
      () =>
        jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 5 }, keys.signingKey, {
          subject: 'u',
          issuer: 'rtkit',
          audience: 'rtkit',
        }),
    ],
    ['garbage', () => 'not.a.token'],
    ['nothing', () => ''],
  ]
  for (const [what, make] of refusals) {
    it(`refuses ${what}`, async () => {
      await assert.rejects(rtkitOnly.verify(make()), UnauthorizedError)
    })
  }

  it('verifies RS256 tokens with a configured key pair, and refuses the public key used as an HMAC secret', async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const rsa = loadConfig({
      RTKIT_ENV: 'test',
      RTKIT_JWT_ALGORITHM: 'RS256',
      RTKIT_JWT_PRIVATE_KEY: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      RTKIT_JWT_PUBLIC_KEY: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    }).jwt
    const verifier = createVerifier(rsa, undefined)
    const { token } = issueToken(profile, 'user', rsa)
    assert.equal((await verifier.verify(token)).principal.id, profile.id)
    const confused = jwt.sign(claims, rsa.verifyingKey, {
      algorithm: 'HS256',
      subject: 'u',
      issuer: 'rtkit',
      audience: 'rtkit',
      expiresIn: 60,
    })
    await assert.rejects(verifier.verify(confused), UnauthorizedError)
  })

  describe('when a token is verified again (every request of a session)', () => {
    it('gives the same answer from memory, and refuses it once it expires', async () => {
      let now = Date.now()
      const verifier = createVerifier(keys, undefined, () => now)
      const token = jwt.sign(claims, keys.signingKey, { subject: 'u', issuer: 'rtkit', audience: 'rtkit', expiresIn: 60 })
      const first = await verifier.verify(token)
      assert.equal(await verifier.verify(token), first, 'remembered')
      now = first.expiresAt * 1000 - 1
      assert.equal(await verifier.verify(token), first, 'valid until its last millisecond')
      now = first.expiresAt * 1000
      await assert.rejects(verifier.verify(token), { name: 'UnauthorizedError', message: 'token expired' })
      await assert.rejects(verifier.verify(token), UnauthorizedError, 'still refused once forgotten')
    })

    it('remembers nothing of a token that failed: a tampered copy of a good one is refused', async () => {
      const verifier = createVerifier(keys, undefined)
      const { token } = issueToken(profile, 'user', keys)
      await verifier.verify(token)
      const [head, payload, signature] = token.split('.') as [string, string, string]
      const claimsOf = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>
      const forged = `${head}.${Buffer.from(JSON.stringify({ ...claimsOf, sub: 'someone-else' })).toString('base64url')}.${signature}`
      await assert.rejects(verifier.verify(forged), UnauthorizedError)
      await assert.rejects(verifier.verify(forged), UnauthorizedError)
    })
  })
})

describe('host-issued tokens', () => {
  const idp = new HostIdp()
  let host: HostIssuerConfig

  before(async () => {
    await idp.start()
    host = loadConfig({
      RTKIT_ENV: 'test',
      RTKIT_AUTH_ISSUER: 'https://host.example',
      RTKIT_AUTH_AUDIENCE: 'rtkit',
      RTKIT_AUTH_JWKS_URL: idp.url,
    }).hostIssuer!
  })
  after(() => idp.close())

  it('accepts a token signed by a JWKS key, with its name and access claim', async () => {
    const verifier = createVerifier(keys, host)
    const access = { 'tasks/acme-*': 'write' }
    const verified = await verifier.verify(idp.sign({ sub: 'carol', name: 'Carol', access }))
    assert.deepEqual(verified.principal, { id: 'host:carol', username: 'carol', name: 'Carol', role: 'user', access })
    assert.equal(verified.source, TokenSource.host)
    // No jti: the key names issuer, subject and iat, so one token can still be revoked.
    assert.match(verified.key, /^[\w-]{43}$/)
  })

  it('fetches the JWKS again for an unknown kid (key rotation), but not on every unknown kid', async () => {
    const verifier = createVerifier(keys, host)
    await verifier.verify(idp.sign({ sub: 'carol', name: 'Carol' }))
    const before = idp.fetches
    idp.rotate('k2')
    // The first lookup of k2 may refetch at once only after the minimum interval; rotation is found then.
    const rotated = idp.sign({ sub: 'carol', name: 'Carol' }, { kid: 'k2' })
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
    const forged = (i: number) =>
      jwt.sign({ sub: 'x', name: 'X' }, stranger, {
        algorithm: 'RS256',
        keyid: `made-up-${i}`,
        issuer: 'https://host.example',
        audience: 'rtkit',
        expiresIn: 60,
      })
    for (let i = 0; i < 20; i++) await assert.rejects(verifier.verify(forged(i)), UnauthorizedError)
    assert.ok(idp.fetches - before <= 1, `20 unknown kids made ${idp.fetches - before} fetches`)
    // A fresh verifier (its first fetch) sees the rotated key.
    assert.equal((await createVerifier(keys, host).verify(rotated)).principal.id, 'host:carol')
  })

  const refusals: Array<[string, () => string]> = [
    [
      'no expiry',
      () =>
        jwt.sign({ sub: 'carol', name: 'Carol' }, idp.keys.get('k1')!.privateKey, {
          algorithm: 'RS256',
          keyid: 'k1',
          issuer: 'https://host.example',
          audience: 'rtkit',
        }),
    ],
    ['the wrong audience', () => idp.sign({ sub: 'carol' }, { audience: 'someone-else' })],
    ['the wrong issuer', () => idp.sign({ sub: 'carol' }, { issuer: 'https://evil.example' })],
    [
      'an HS256 token signed with the public key as the secret',
      () => {
        const pem = idp.keys.get('k1')!.publicKey.export({ type: 'spki', format: 'pem' }).toString()
        return jwt.sign({ sub: 'carol' }, pem, {
          algorithm: 'HS256',
          keyid: 'k1',
          issuer: 'https://host.example',
          audience: 'rtkit',
          expiresIn: 60,
        })
      },
    ],
    ['role: service', () => idp.sign({ sub: 'svc', role: 'service' })],
    ['a malformed access claim', () => idp.sign({ sub: 'carol', access: { 'tasks/*': 'admin' } })],
    ['an expired token', () => idp.sign({ sub: 'carol' }, { expiresIn: -10 })],
  ]
  for (const [what, make] of refusals) {
    it(`refuses ${what}`, async () => {
      await assert.rejects(createVerifier(keys, host).verify(make()), UnauthorizedError)
    })
  }

  it('refuses host tokens when no host issuer is configured', async () => {
    await assert.rejects(rtkitOnly.verify(idp.sign({ sub: 'carol' })), UnauthorizedError)
  })

  describe('the user id', () => {
    it('is host:<sub>, never the bare subject, so a subject equal to an rtkit account id is someone else', async () => {
      const verifier = createVerifier(keys, host)
      const rtkit = await verifier.verify(issueToken(profile, 'user', keys).token)
      const posing = await verifier.verify(idp.sign({ sub: profile.id, name: 'Ada' }))
      assert.equal(posing.principal.id, `host:${profile.id}`)
      assert.notEqual(posing.principal.id, rtkit.principal.id)
    })

    it('refuses a subject whose id would not fit a primary key (127 bytes)', async () => {
      const verifier = createVerifier(keys, host)
      await assert.rejects(verifier.verify(idp.sign({ sub: 'é'.repeat(62) })), /subject too long/)
      assert.equal((await verifier.verify(idp.sign({ sub: 'e'.repeat(122) }))).principal.id.length, 127)
    })
  })

  describe('revocation keys', () => {
    it('differ for two users whose tokens share a jti, and for one user’s tokens with different jtis', async () => {
      const verifier = createVerifier(keys, host)
      const key = async (sub: string, jti: string) => (await verifier.verify(idp.sign({ sub }, { jwtid: jti }))).key
      const [carol, dave, carolAgain] = [await key('carol', 'session-1'), await key('dave', 'session-1'), await key('carol', 'session-2')]
      assert.notEqual(carol, dave)
      assert.notEqual(carol, carolAgain)
      assert.equal(await key('carol', 'session-1'), carol, 'stable: the same token always has the same key')
    })
  })

  describe('issue time and lifetime', () => {
    const inSeconds = (s: number) => Math.floor(Date.now() / 1000) + s
    // jsonwebtoken keeps a given iat, and leaves it out with noTimestamp.
    const signed = (claims: { iat?: number; exp: number }) =>
      idp.sign({ sub: 'carol', ...claims }, { noExpiry: true, noTimestamp: claims.iat === undefined })
    const refused: Array<[string, { iat?: number; exp: number }]> = [
      ['issued in the future (beyond the clock skew)', { iat: inSeconds(CLOCK_SKEW_SECONDS + 120), exp: inSeconds(600) }],
      ['living longer than the maximum (exp - iat)', { iat: inSeconds(-60), exp: inSeconds(86_400) }],
      ['without iat, expiring later than the maximum from now', { exp: inSeconds(86_400 + 120) }],
    ]
    for (const [what, claims] of refused) {
      it(`refuses a token ${what}`, async () => {
        await assert.rejects(createVerifier(keys, host).verify(signed(claims)), UnauthorizedError)
      })
    }

    it('accepts a small skew, a lifetime up to the maximum, and honours RTKIT_AUTH_MAX_LIFETIME', async () => {
      const verifier = createVerifier(keys, host)
      await verifier.verify(signed({ iat: inSeconds(CLOCK_SKEW_SECONDS - 10), exp: inSeconds(600) }))
      await verifier.verify(signed({ iat: inSeconds(-10), exp: inSeconds(86_400 - 20) }))
      await verifier.verify(signed({ exp: inSeconds(86_400 - 20) }))
      const shorter = createVerifier(keys, { ...host, maxLifetimeSeconds: 300 })
      await assert.rejects(shorter.verify(signed({ iat: inSeconds(0), exp: inSeconds(600) })), /maximum lifetime/)
      await shorter.verify(signed({ iat: inSeconds(0), exp: inSeconds(240) }))
    })

    it('reads RTKIT_AUTH_MAX_LIFETIME in seconds, a day by default', () => {
      const env = {
        RTKIT_ENV: 'test',
        RTKIT_AUTH_ISSUER: 'https://host.example',
        RTKIT_AUTH_AUDIENCE: 'rtkit',
        RTKIT_AUTH_JWKS_URL: idp.url,
      }
      assert.equal(loadConfig(env).hostIssuer?.maxLifetimeSeconds, 86_400)
      assert.equal(loadConfig({ ...env, RTKIT_AUTH_MAX_LIFETIME: '3600' }).hostIssuer?.maxLifetimeSeconds, 3600)
      assert.throws(() => loadConfig({ ...env, RTKIT_AUTH_MAX_LIFETIME: 'a week' }), /RTKIT_AUTH_MAX_LIFETIME/)
    })
  })

  it('makes an unsafe display name safe, falling back to the subject', async () => {
    const verifier = createVerifier(keys, host)
    const named = async (name: unknown) => (await verifier.verify(idp.sign({ sub: 'carol', name }))).principal.name
    assert.equal(await named('Ca\u202Erol\u0007'), 'Carol')
    assert.equal(await named('\u200B\u200B'), 'carol')
    assert.equal(await named(42), 'carol')
  })
})

describe('bearerToken', () => {
  it('extracts the token from a Bearer header only', () => {
    assert.equal(bearerToken('Bearer abc.def.ghi'), 'abc.def.ghi')
    assert.equal(bearerToken('bearer abc'), 'abc')
    assert.equal(bearerToken('Basic abc'), undefined)
    assert.equal(bearerToken(undefined), undefined)
  })
})
