// Requests Node's HTTP parser refuses before the gateway sees a request: the
// answer is still the API's (a JSON error body, an x-request-id, counted in
// the metrics), not Node's bare status line. Raw sockets, as no HTTP client
// sends such requests.
import assert from 'node:assert/strict'
import net from 'node:net'
import { after, before, describe, it } from 'node:test'
import { METRICS_PATH } from '../ops/ops-endpoints.ts'
import { startTestStack, type TestStack } from '../testing/test-stack.ts'
import { startGateway, type RunningGateway } from './local-gateway.ts'

const METRICS_TOKEN = 'client-error-test-metrics-token'

interface RawAnswer {
  status: number
  headers: Map<string, string>
  body: string
}

/** Sends `request` as it is and reads the answer until the gateway closes the connection (bounded). */
function rawRequest(apiUrl: string, request: string): Promise<RawAnswer> {
  const url = new URL(apiUrl)
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname, () => socket.write(request))
    const chunks: Buffer[] = []
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no complete answer within 5 s: ${JSON.stringify(Buffer.concat(chunks).toString('latin1'))}`))
    }, 5_000)
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', (error) => (clearTimeout(timer), reject(error)))
    socket.on('end', () => {
      clearTimeout(timer)
      socket.destroy()
      const text = Buffer.concat(chunks).toString('utf8')
      const [head = '', body = ''] = text.split('\r\n\r\n')
      const [statusLine = '', ...lines] = head.split('\r\n')
      const headers = new Map(
        lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      )
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body })
    })
  })
}

/** What every refusal carries: the API's error body and headers. */
function assertApiError(answer: RawAnswer, status: number, code: string): void {
  assert.equal(answer.status, status, answer.body)
  assert.match(answer.headers.get('content-type') ?? '', /^application\/json/)
  assert.match(answer.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/)
  assert.equal(answer.headers.get('connection'), 'close')
  assert.equal(Number(answer.headers.get('content-length')), Buffer.byteLength(answer.body))
  const parsed = JSON.parse(answer.body)
  assert.equal(parsed.error.code, code)
  assert.equal(typeof parsed.error.message, 'string')
}

describe('a request the HTTP parser refuses', () => {
  let stack: TestStack
  before(async () => {
    stack = await startTestStack({ RTKIT_METRICS_TOKEN: METRICS_TOKEN })
  })
  after(() => stack.close())

  it('with a 20 KB Authorization header is answered 431 with a JSON error and a request id, and counted', async () => {
    // Prepare: past Node's 16 KiB header limit.
    const request = `GET /auth/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'a'.repeat(20_000)}\r\n\r\n`
    // Act
    const answer = await rawRequest(stack.apiUrl, request)
    // Assess
    assertApiError(answer, 431, 'bad_request')
    assert.match(JSON.parse(answer.body).error.message, /headers exceed 16384 bytes/)
    const metrics = await fetch(stack.apiUrl + METRICS_PATH, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      signal: AbortSignal.timeout(10_000),
    })
    assert.match(await metrics.text(), /^rtkit_http_requests_total\{route="unmatched",method="other",status="431"\} 1$/m)
  })

  it('with a duplicated Content-Length is answered 400 with a JSON error naming the problem and a request id', async () => {
    const request =
      'POST /collections/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}'
    const answer = await rawRequest(stack.apiUrl, request)
    assertApiError(answer, 400, 'bad_request')
    assert.match(JSON.parse(answer.body).error.message, /Duplicate Content-Length/)
  })

  it('with Content-Length and Transfer-Encoding together, or a malformed header line, is answered 400 the same way', async () => {
    const both = 'POST /collections/tasks HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'
    const malformed = 'GET /auth/me HTTP/1.1\r\nHost: x\r\nNot a header line\r\n\r\n'
    for (const request of [both, malformed]) assertApiError(await rawRequest(stack.apiUrl, request), 400, 'bad_request')
  })

  it('gets its answer whole while the client is still sending, then the connection closes', async () => {
    // Prepare: far past the header limit; closing on unread bytes would reset the connection before the answer is read.
    const request = `GET /auth/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'a'.repeat(2_000_000)}\r\n\r\n`
    // Act
    const answer = await rawRequest(stack.apiUrl, request)
    // Assess
    assertApiError(answer, 431, 'bad_request')
  })
})

describe('a connection refused by the HTTP parser, on a gateway with a short header timeout', () => {
  let gateway: RunningGateway
  before(async () => {
    gateway = await startGateway({
      host: '127.0.0.1',
      port: 0,
      corsOrigin: '',
      timeoutMs: 1_000,
      limits: { headersTimeoutMs: 500, requestTimeoutMs: 600_000 },
    })
  })
  after(() => gateway.close())

  it('whose headers never end is answered 408 with a JSON error and a request id', async () => {
    // The request is never finished: only the header timeout answers it.
    const answer = await rawRequest(gateway.url, 'GET /auth/me HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n')
    assertApiError(answer, 408, 'timeout')
  })

  it('is closed by the gateway once answered, even when the client keeps its side open', async () => {
    // Prepare: a client that never closes its side (half-open), as a careless or hostile one may.
    const url = new URL(gateway.url)
    const socket = net.connect({ port: Number(url.port), host: url.hostname, allowHalfOpen: true })
    socket.on('error', () => undefined)
    let answer = ''
    socket.on('data', (chunk: Buffer) => void (answer += chunk.toString('utf8')))
    const closed = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 5_000)
      socket.once('close', () => (clearTimeout(timer), resolve(true)))
    })
    // Act: the refused request, then more bytes now and then; once the gateway has closed, one of them is reset.
    socket.write('POST /collections/tasks HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}')
    const drip = setInterval(() => socket.writable && socket.write('x'), 200)
    // Assess
    try {
      assert.equal(await closed, true, 'the answered connection was still open after 5 s')
      assert.match(answer, /^HTTP\/1\.1 400 /)
    } finally {
      clearInterval(drip)
      socket.destroy()
    }
  })
})
