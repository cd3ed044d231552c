import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda'
import jwt from 'jsonwebtoken'
import { loadConfig } from '../config.ts'
import { SecretReadError, resolveSecrets, secretsOnce, type SecretReader } from './secrets.ts'

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rtkit-jwt-AbCdEf'
const SECRET = 'a'.repeat(20) + 'deployed-secret-value-0123456789'

/** A reader that records the ids it was asked for. */
function recordingReader(value: string | Error): SecretReader & { calls: string[] } {
  const calls: string[] = []
  const read = async (id: string) => {
    calls.push(id)
    if (value instanceof Error) throw value
    return value
  }
  return Object.assign(read, { calls })
}

describe('resolveSecrets', () => {
  it('reads the secret the ARN names into RTKIT_JWT_SECRET, which loadConfig then uses', async () => {
    // Prepare
    const env: NodeJS.ProcessEnv = { RTKIT_ENV: 'production', RTKIT_JWT_SECRET_ARN: ARN }
    const read = recordingReader(SECRET)
    // Act
    const didRead = await resolveSecrets(env, read)
    // Assess
    assert.equal(didRead, true)
    assert.deepEqual(read.calls, [ARN])
    assert.equal(loadConfig(env).jwt.verifyingKey, SECRET)
  })

  it('leaves an explicit RTKIT_JWT_SECRET alone and reads nothing', async () => {
    const env: NodeJS.ProcessEnv = { RTKIT_JWT_SECRET_ARN: ARN, RTKIT_JWT_SECRET: 'explicit'.repeat(5) }
    const read = recordingReader(SECRET)
    assert.equal(await resolveSecrets(env, read), false)
    assert.deepEqual(read.calls, [])
    assert.equal(env.RTKIT_JWT_SECRET, 'explicit'.repeat(5))
  })

  it('does nothing without an ARN', async () => {
    const env: NodeJS.ProcessEnv = { RTKIT_ENV: 'test' }
    const read = recordingReader(SECRET)
    assert.equal(await resolveSecrets(env, read), false)
    assert.deepEqual(read.calls, [])
    assert.equal(env.RTKIT_JWT_SECRET, undefined)
  })

  it('turns a failed read into a SecretReadError that names the variable and keeps the cause', async () => {
    const env: NodeJS.ProcessEnv = { RTKIT_JWT_SECRET_ARN: ARN }
    const denied = new Error('AccessDeniedException')
    const error = await resolveSecrets(env, recordingReader(denied)).catch((caught: unknown) => caught)
    assert.ok(error instanceof SecretReadError)
    assert.match(error.message, /RTKIT_JWT_SECRET_ARN/)
    assert.equal(error.cause, denied)
    assert.equal(env.RTKIT_JWT_SECRET, undefined)
  })
})

describe('secretsOnce', () => {
  it('reads once however many invocations wait on it', async () => {
    const env: NodeJS.ProcessEnv = { RTKIT_JWT_SECRET_ARN: ARN }
    const read = recordingReader(SECRET)
    const ready = secretsOnce(env, read)
    await Promise.all([ready(), ready(), ready()])
    await ready()
    assert.deepEqual(read.calls, [ARN])
  })

  it('forgets a failed read, so the next invocation tries again', async () => {
    const env: NodeJS.ProcessEnv = { RTKIT_JWT_SECRET_ARN: ARN }
    let fail = true
    const calls: string[] = []
    const ready = secretsOnce(env, async (id) => {
      calls.push(id)
      if (fail) throw new Error('throttled')
      return SECRET
    })
    await assert.rejects(ready(), SecretReadError)
    fail = false
    await ready()
    assert.equal(calls.length, 2)
    assert.equal(env.RTKIT_JWT_SECRET, SECRET)
  })
})

// The deployed path end to end, without AWS: the SDK's Secrets Manager
// client pointed (by the SDK's own endpoint variable) at a local stand-in,
// and a handler built with route() reading its JWT key from it.
describe('a route() handler with RTKIT_JWT_SECRET_ARN', () => {
  const requests: Array<{ target: string | undefined; body: { SecretId?: string } }> = []
  const fake = createServer(async (request: IncomingMessage, response) => {
    let text = ''
    for await (const chunk of request) text += chunk
    requests.push({ target: request.headers['x-amz-target'] as string | undefined, body: JSON.parse(text) as { SecretId?: string } })
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
    response.end(JSON.stringify({ ARN, Name: 'rtkit-jwt', SecretString: SECRET }))
  })

  before(async () => {
    fake.listen(0, '127.0.0.1')
    await once(fake, 'listening')
    Object.assign(process.env, {
      RTKIT_ENV: 'production',
      RTKIT_JWT_SECRET_ARN: ARN,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDTEST',
      AWS_SECRET_ACCESS_KEY: 'test-only',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${(fake.address() as AddressInfo).port}`,
    })
    delete process.env.RTKIT_JWT_SECRET
  })
  after(() => fake.close())

  it('verifies tokens with the secret it read, and reads it once', async () => {
    // Prepare: the handler module is imported only now, as a Lambda would at init.
    const { json, route } = await import('./route.ts')
    const { bearerToken, defaultVerifier } = await import('./tokens.ts')
    // No database here: the handler verifies the token itself (route's `auth: true` would also ask the database about the session).
    const handler = route({ auth: false }, async ({ event }) => {
      const { principal } = await defaultVerifier().verify(bearerToken(event.headers.authorization))
      return json(200, { user: principal })
    })
    const token = jwt.sign({ username: 'ada', name: 'Ada', role: 'user' }, SECRET, {
      subject: 'u-1',
      issuer: 'rtkit',
      audience: 'rtkit',
      expiresIn: 60,
    })
    const event = {
      headers: { authorization: `Bearer ${token}` },
      requestContext: { requestId: 'r-1' },
    } as unknown as APIGatewayProxyEventV2
    // Act
    const first = await handler(event, {} as Context)
    const second = await handler(event, {} as Context)
    // Assess
    assert.equal(typeof first === 'object' && first.statusCode, 200)
    assert.equal(typeof second === 'object' && second.statusCode, 200)
    assert.deepEqual(requests, [{ target: 'secretsmanager.GetSecretValue', body: { SecretId: ARN } }])
  })
})
