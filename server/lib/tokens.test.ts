import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { describe, it } from 'node:test'
import jwt from 'jsonwebtoken'
import { loadConfig } from '../config.ts'
import { UnauthorizedError } from './errors.ts'
import { bearerToken, issueToken, verifyToken } from './tokens.ts'

const profile = { id: 'user-1', username: 'ada', name: 'Ada' }
const keys = loadConfig({ RTKIT_ENV: 'test' }).jwt

describe('verifyToken', () => {
  it('accepts a token it issued and returns the principal', () => {
    const { token } = issueToken(profile, 'user', keys)
    assert.deepEqual(verifyToken(token, keys), { ...profile, role: 'user' })
  })

  const refusals: Array<[string, () => string]> = [
    [
      'a wrong key',
      () => jwt.sign({ username: 'ada', name: 'Ada', role: 'user' }, 'x'.repeat(40), { subject: 'u', issuer: 'rtkit', audience: 'rtkit' }),
    ],
    [
      'a wrong issuer',
      () => jwt.sign({ username: 'ada', name: 'Ada', role: 'user' }, keys.signingKey, { subject: 'u', issuer: 'evil', audience: 'rtkit' }),
    ],
    [
      'a wrong audience',
      () => jwt.sign({ username: 'ada', name: 'Ada', role: 'user' }, keys.signingKey, { subject: 'u', issuer: 'rtkit', audience: 'evil' }),
    ],
    [
      'HS384 when HS256 is pinned',
      () =>
        jwt.sign({ username: 'ada', name: 'Ada', role: 'user' }, keys.signingKey, {
          algorithm: 'HS384',
          subject: 'u',
          issuer: 'rtkit',
          audience: 'rtkit',
        }),
    ],
    [
      'alg none',
      () =>
        jwt.sign({ username: 'ada', name: 'Ada', role: 'user', sub: 'u', iss: 'rtkit', aud: 'rtkit' }, null as unknown as string, {
          algorithm: 'none',
        }),
    ],
    ['no subject', () => jwt.sign({ username: 'ada', name: 'Ada', role: 'user' }, keys.signingKey, { issuer: 'rtkit', audience: 'rtkit' })],
    [
      'an unknown role',
      () =>
        jwt.sign({ username: 'ada', name: 'Ada', role: 'admin' }, keys.signingKey, { subject: 'u', issuer: 'rtkit', audience: 'rtkit' }),
    ],
    [
      'an expired token',
      () =>
        jwt.sign({ username: 'ada', name: 'Ada', role: 'user', exp: Math.floor(Date.now() / 1000) - 5 }, keys.signingKey, {
          subject: 'u',
          issuer: 'rtkit',
          audience: 'rtkit',
        }),
    ],
    ['garbage', () => 'not.a.token'],
    ['nothing', () => ''],
  ]
  for (const [what, make] of refusals) {
    it(`refuses ${what}`, () => {
      assert.throws(() => verifyToken(make(), keys), UnauthorizedError)
    })
  }

  it('verifies RS256 tokens with a configured key pair', () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const rsa = loadConfig({
      RTKIT_ENV: 'test',
      RTKIT_JWT_ALGORITHM: 'RS256',
      RTKIT_JWT_PRIVATE_KEY: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      RTKIT_JWT_PUBLIC_KEY: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    }).jwt
    const { token } = issueToken(profile, 'user', rsa)
    assert.equal(verifyToken(token, rsa).id, profile.id)
    // A token signed with the public key as an HMAC secret (key confusion) is refused.
    const confused = jwt.sign({ username: 'ada', name: 'Ada', role: 'user' }, rsa.verifyingKey, {
      algorithm: 'HS256',
      subject: 'u',
      issuer: 'rtkit',
      audience: 'rtkit',
    })
    assert.throws(() => verifyToken(confused, rsa), UnauthorizedError)
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
