/**
 * A host app that embeds rtkit for its own users: it has its own cookie
 * sign-in, and its backend signs each signed-in user an RS256 token at
 * `/rtkit/token`, publishing the public key at `/.well-known/jwks.json`.
 * It runs rtkit's server with `RTKIT_AUTH_*` pointed at itself, and serves
 * a page whose tags get their tokens from `/rtkit/token` (README, "Signing
 * in your own users"). The page runs under a strict Content Security Policy.
 *
 *   npm run build   # the page loads dist/rtkit.bundle.js
 *   node --import tsx demo/embed/host-app/server.ts
 *
 * It prints `host-app ready url=<the page> api=<rtkit API> realtime=<rtkit WebSocket>`.
 * Variables: HOST_APP_PORT (default 4000; 0 picks one), HOST_TOKEN_TTL
 * (seconds, default 300: the tags fetch a fresh token before each expires).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import jwt from 'jsonwebtoken'
import { appPage, signInPage } from './pages.ts'
import { HOST_USERS, type HostUser } from './users.ts'

const root = new URL('../../../', import.meta.url)
const here = new URL('./', import.meta.url)
const port = Number(process.env.HOST_APP_PORT ?? 4000)
const tokenTtl = Number(process.env.HOST_TOKEN_TTL ?? 300)

// The host's signing key. A real app keeps it in its secret store and rotates it by kid.
const kid = `host-${randomUUID().slice(0, 8)}`
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] }

/** Cookie sessions: session id → username. */
const sessions = new Map<string, string>()

function signedInUser(request: IncomingMessage): HostUser | undefined {
  const id = /(?:^|;\s*)host_session=([\w-]+)/.exec(request.headers.cookie ?? '')?.[1]
  const username = id ? sessions.get(id) : undefined
  return username ? HOST_USERS[username] : undefined
}

async function form(request: IncomingMessage): Promise<URLSearchParams> {
  let body = ''
  for await (const chunk of request) {
    body += chunk
    if (body.length > 4096) break
  }
  return new URLSearchParams(body)
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': type, ...headers })
  response.end(body)
}

let origin = ''
let rtkit = { api: '', realtime: '' }

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const { pathname } = new URL(request.url ?? '/', origin)
  const user = signedInUser(request)
  const csp = `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self' ${rtkit.api} ${rtkit.realtime}`
  if (request.method === 'POST' && pathname === '/login') {
    const fields = await form(request)
    const username = fields.get('username') ?? ''
    const candidate = Object.hasOwn(HOST_USERS, username) ? HOST_USERS[username] : undefined
    if (!candidate || candidate.password !== fields.get('password'))
      return send(response, 401, 'text/html; charset=utf-8', signInPage(true), { 'content-security-policy': csp })
    const id = randomBytes(18).toString('base64url')
    sessions.set(id, username)
    return send(response, 303, 'text/plain', '', { location: '/', 'set-cookie': `host_session=${id}; HttpOnly; SameSite=Lax; Path=/` })
  }
  if (request.method === 'POST' && pathname === '/logout') {
    return send(response, 303, 'text/plain', '', { location: '/', 'set-cookie': 'host_session=; Max-Age=0; Path=/' })
  }
  switch (pathname) {
    case '/':
      return send(response, 200, 'text/html; charset=utf-8', user ? appPage(user, rtkit) : signInPage(), { 'content-security-policy': csp })
    case '/rtkit/token': {
      // The one endpoint rtkit needs from a host: a short-lived token for whoever is signed in here.
      if (!user) return send(response, 401, 'application/json', JSON.stringify({ error: 'not signed in' }), { 'cache-control': 'no-store' })
      const token = jwt.sign({ name: user.name, access: user.access }, privateKey, {
        algorithm: 'RS256',
        keyid: kid,
        subject: user.id,
        issuer: origin,
        audience: 'rtkit',
        expiresIn: tokenTtl,
      })
      return send(response, 200, 'application/json', JSON.stringify({ token }), { 'cache-control': 'no-store' })
    }
    case '/.well-known/jwks.json':
      return send(response, 200, 'application/json', JSON.stringify(jwks))
    // The bundle, and the catalogues it loads from beside it for a page in German or Arabic.
    case '/rtkit.bundle.js':
    case '/rtkit.de.js':
    case '/rtkit.ar.js':
      return send(response, 200, 'text/javascript; charset=utf-8', readFileSync(new URL(`dist${pathname}`, root)))
    case '/host.css':
      return send(response, 200, 'text/css; charset=utf-8', readFileSync(new URL('host.css', here)))
    case '/favicon.svg':
      return send(response, 200, 'image/svg+xml', readFileSync(new URL('favicon.svg', here)))
    default:
      return send(response, 404, 'text/plain', 'not found')
  }
}

/** Starts rtkit's server trusting this app's tokens; resolves with its URLs. */
function startRtkit(): Promise<{ child: ChildProcess; api: string; realtime: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('server/start.ts', root).pathname], {
    cwd: root.pathname,
    env: {
      ...process.env,
      RTKIT_AUTH_ISSUER: origin,
      RTKIT_AUTH_AUDIENCE: 'rtkit',
      RTKIT_AUTH_JWKS_URL: `${origin}/.well-known/jwks.json`,
      RTKIT_CORS_ORIGIN: origin,
      RTKIT_API_PORT: process.env.RTKIT_API_PORT ?? '0',
      RTKIT_REALTIME_PORT: process.env.RTKIT_REALTIME_PORT ?? '0',
      RTKIT_DATA_DIR: process.env.RTKIT_DATA_DIR ?? 'memory',
      RTKIT_SEED: 'false',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    let output = ''
    child.stdout!.on('data', (chunk) => {
      output += chunk
      const line = /^rtkit ready (.*)$/m.exec(output)?.[1]
      if (!line) return
      const urls = Object.fromEntries(line.split(' ').map((pair) => pair.split('=') as [string, string]))
      resolve({ child, api: urls.api!, realtime: urls.realtime! })
    })
    child.on('exit', (code) => reject(new Error(`rtkit's server exited with ${code}: ${output}`)))
  })
}

/** rtkit's server process, once started. */
const running: { rtkit?: ChildProcess } = {}
let stopping = false
// Trapped before anything starts, so a signal during start-up still stops rtkit's server too.
const stop = () => {
  if (stopping) return
  stopping = true
  server.close()
  server.closeAllConnections()
  const child = running.rtkit
  if (!child || child.exitCode !== null) process.exit(0)
  child.once('exit', () => process.exit(0))
  child.kill('SIGTERM')
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)

const server = createServer((request, response) => {
  handle(request, response).catch((error: unknown) => {
    console.error(error)
    if (!response.headersSent) send(response, 500, 'text/plain', 'internal error')
  })
})
await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
const started = await startRtkit()
running.rtkit = started.child
rtkit = { api: started.api, realtime: started.realtime }
console.log(`host-app ready url=${origin}/ api=${rtkit.api} realtime=${rtkit.realtime}`)
