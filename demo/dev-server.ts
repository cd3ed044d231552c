import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createServer, type Connect } from 'vite'
import { currentManifest } from './reference/manifest.ts'
import { renderReference } from './reference/reference-page.ts'

/** Options of {@link startDemoServer}. */
export interface DemoServerOptions {
  /** Base URL of the running API, e.g. `http://127.0.0.1:3000`; proxied at `/api`. */
  apiUrl: string
  /** deepstream WebSocket URL, e.g. `ws://127.0.0.1:6020/deepstream`; proxied at `/deepstream`. */
  realtimeUrl: string
  /** Interface to listen on (default `127.0.0.1`). */
  host?: string
  /** Port; 0 picks a free one. */
  port?: number
  /** The server's data folder (`RTKIT_DATA_DIR`), refused by the demo server wherever it lies. */
  dataDir?: string
}

/** A running demo server. */
export interface DemoServer {
  /** Base URL of the demo page, e.g. `http://127.0.0.1:5173/`. */
  url: string
  close(): Promise<void>
}

const demoRoot = fileURLToPath(new URL('.', import.meta.url))
const projectRoot = fileURLToPath(new URL('..', import.meta.url))
const distRoot = join(projectRoot, 'dist')

/**
 * What the demo page is made of, and all Vite's dev server may read: the page,
 * the client layers it imports from source, and the packages they import.
 * Vite serves any file its `fs.allow` covers through `/@fs/<absolute path>`, and
 * by default that was the whole project: `server/`, `package.json` and the
 * default data folder `.rtkit/data` (the JWT secret, the database password,
 * password hashes) were one GET away.
 */
const SERVED_FOLDERS = ['demo', 'components', 'services', 'contracts', 'node_modules'].map((folder) =>
  realpathSync(join(projectRoot, folder)),
)

/**
 * Never served, even inside an allowed folder: Vite's own defaults plus any
 * rtkit data folder. `fs.deny` wins over `fs.allow`.
 */
const DENIED = ['.env', '.env.*', '*.{crt,pem}', '**/.git/**', '**/.rtkit/**']

/**
 * Headers on every demo response: no MIME sniffing, no framing by other
 * sites (the page has sign-in forms), no full URLs leaked to other origins.
 */
export const DEMO_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "frame-ancestors 'none'",
  'referrer-policy': 'strict-origin-when-cross-origin',
}

const securityHeaders: Connect.NextHandleFunction = (_request, response, next) => {
  for (const [name, value] of Object.entries(DEMO_HEADERS)) response.setHeader(name, value)
  next()
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.map': 'application/json',
  '.json': 'application/json',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
}

/** The embedding examples served as they are, as on any other site. */
const EMBED_FILES = ['/embed/plain.html', '/embed/strict-csp.html', '/embed/strict-csp.css', '/embed/strict-csp.js']

/** The policy of `embed/strict-csp.html`, also sent as a header (as a real site would). */
export const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'"

/**
 * Serves `dist/` at `/dist/` and the plain and strict-CSP embed pages as static files,
 * untouched by Vite (no transforms, no HMR client), so `embed/plain.html`
 * shows the built bundle working on its own, as on any other site.
 */
const serveStatic: Connect.NextHandleFunction = (request, response, next) => {
  const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)
  let file: string
  if (path.startsWith('/dist/')) file = normalize(join(distRoot, path.slice('/dist/'.length)))
  else if (EMBED_FILES.includes(path)) file = join(demoRoot, path)
  else return next()
  if (!(file.startsWith(distRoot) || file.startsWith(demoRoot)) || !existsSync(file) || !statSync(file).isFile()) {
    response.statusCode = 404
    response.end('not built: run `npm run build` first')
    return
  }
  response.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream')
  if (path === '/embed/strict-csp.html') response.setHeader('content-security-policy', STRICT_CSP)
  createReadStream(file).pipe(response)
}

/** `/docs/`: the tags' reference, from `custom-elements.json` (made again when a component changed). */
const referencePage: Connect.NextHandleFunction = (request, response, next) => {
  const path = new URL(request.url ?? '/', 'http://x').pathname
  if (path === '/docs') {
    response.statusCode = 301
    response.setHeader('location', '/docs/')
    response.end()
    return
  }
  if (path !== '/docs/') return next()
  currentManifest(projectRoot).then(
    (manifest) => {
      response.setHeader('content-type', TYPES['.html']!)
      response.end(renderReference(manifest, '/reference.ts'))
    },
    (error: unknown) => next(error),
  )
}

function realpathOrSelf(path: string): string {
  return existsSync(path) ? realpathSync(path) : path
}

/**
 * Starts the demo page on Vite's dev server. The page talks to the API and
 * deepstream on its own origin: `/api/*` and the `/deepstream` WebSocket are
 * proxied to the bundled server, so no CORS setup is needed and two browser
 * windows show realtime sync.
 *
 * @example
 * const stack = await startStack()
 * const demo = await startDemoServer({ apiUrl: stack.apiUrl, realtimeUrl: stack.realtimeUrl, port: 5173 })
 * console.log(`demo=${demo.url}`)
 */
export async function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  const host = options.host ?? '127.0.0.1'
  const realtime = new URL(options.realtimeUrl)
  const realtimeTarget = `${realtime.protocol === 'wss:' ? 'https:' : 'http:'}//${realtime.host}`
  // Vite's dev server exits the whole process on SIGTERM (or when stdin ends) once it has
  // closed itself: the server beside it would then die without stopping (the embedded
  // database without its final snapshot). The process's owner stops everything instead.
  const exitListeners = { SIGTERM: process.listeners('SIGTERM'), end: process.stdin.listeners('end') }
  const server = await createServer({
    configFile: join(projectRoot, 'vite.config.ts'),
    root: demoRoot,
    logLevel: 'warn',
    clearScreen: false,
    // Pre-bundle only what the main page needs; the React example's imports
    // exist only once react/react-dom are installed.
    optimizeDeps: { entries: ['index.html'] },
    server: {
      host,
      port: options.port ?? 5173,
      strictPort: true,
      headers: DEMO_HEADERS,
      fs: {
        strict: true,
        allow: SERVED_FOLDERS,
        deny: [...DENIED, ...(options.dataDir && options.dataDir !== 'memory' ? [`${realpathOrSelf(options.dataDir)}/**`] : [])],
      },
      proxy: {
        '/api': {
          target: options.apiUrl,
          changeOrigin: true,
          // Appends the page's client address to X-Forwarded-For; a gateway with
          // RTKIT_TRUST_PROXY=loopback (npm start's default) throttles sign-in by it.
          xfwd: true,
          rewrite: (path) => path.replace(/^\/api/, ''),
        },
        '/deepstream': {
          target: realtimeTarget,
          ws: true,
          changeOrigin: true,
          rewrite: (path) => path.replace(/^\/deepstream/, realtime.pathname),
        },
      },
    },
    plugins: [
      {
        name: 'rtkit-demo-dist',
        configureServer(vite) {
          vite.middlewares.use(securityHeaders)
          vite.middlewares.use(serveStatic)
          vite.middlewares.use(referencePage)
        },
      },
    ],
  })
  for (const listener of process.listeners('SIGTERM')) if (!exitListeners.SIGTERM.includes(listener)) process.off('SIGTERM', listener)
  for (const listener of process.stdin.listeners('end')) {
    if (!exitListeners.end.includes(listener)) process.stdin.off('end', listener as (...args: unknown[]) => void)
  }
  await server.listen()
  const address = server.httpServer?.address() as AddressInfo | null
  if (!address) throw new Error('demo server did not start')
  return {
    url: `http://${host}:${address.port}/`,
    close: () => server.close(),
  }
}
