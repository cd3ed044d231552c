import assert from 'node:assert/strict'
import type { IncomingMessage } from 'node:http'
import { describe, it } from 'node:test'
import { allowedMethods, compileRoute, matchRoute, toApiGatewayEvent } from './events.ts'

const routes = [compileRoute('GET /collections/{name}', 'list'), compileRoute('PATCH /collections/{name}/{id}', 'update')]

describe('matchRoute', () => {
  it('extracts decoded path parameters', () => {
    const match = matchRoute(routes, 'PATCH', '/collections/tasks/a%20b')
    assert.ok(match && match !== 'method')
    assert.equal(match.route.target, 'update')
    assert.deepEqual(match.params, { name: 'tasks', id: 'a b' })
  })
  it('tells a wrong method from an unknown path', () => {
    assert.equal(matchRoute(routes, 'DELETE', '/collections/tasks'), 'method')
    assert.equal(matchRoute(routes, 'GET', '/collections'), undefined)
    assert.equal(matchRoute(routes, 'GET', '/collections/tasks/x/y'), undefined)
  })
  it('lists the methods a path answers, for a 405', () => {
    assert.deepEqual(allowedMethods(routes, '/collections/tasks'), ['GET'])
    assert.deepEqual(allowedMethods(routes, '/nowhere'), [])
  })
})

describe('toApiGatewayEvent', () => {
  const request = {
    method: 'POST',
    httpVersion: '1.1',
    headers: { 'content-type': 'application/json', cookie: 'a=1; b=2', 'x-many': ['1', '2'], host: 'localhost:3000' },
    socket: { remoteAddress: '127.0.0.1' },
  } as unknown as IncomingMessage

  it('builds a payload 2.0 event like API Gateway', () => {
    const url = new URL('http://localhost:3000/collections/tasks?board=a&tag=x&tag=y')
    const event = toApiGatewayEvent(
      request,
      url,
      'POST /collections/{name}',
      { name: 'tasks' },
      Buffer.from('{"a":1}'),
      'req-1',
      new Date(0),
    )
    assert.equal(event.version, '2.0')
    assert.equal(event.rawPath, '/collections/tasks')
    assert.equal(event.rawQueryString, 'board=a&tag=x&tag=y')
    assert.deepEqual(event.queryStringParameters, { board: 'a', tag: 'x,y' })
    assert.deepEqual(event.cookies, ['a=1', 'b=2'])
    assert.equal(event.headers['x-many'], '1,2')
    assert.equal(event.headers.cookie, undefined)
    assert.deepEqual(event.pathParameters, { name: 'tasks' })
    assert.equal(event.requestContext.http.method, 'POST')
    assert.equal(event.requestContext.requestId, 'req-1')
    assert.equal(event.body, '{"a":1}')
    assert.equal(event.isBase64Encoded, false)
  })

  it('base64-encodes a body that is not text', () => {
    const binary = { ...request, headers: { 'content-type': 'application/octet-stream' } } as unknown as IncomingMessage
    const event = toApiGatewayEvent(binary, new URL('http://h/x'), 'POST /x', {}, Buffer.from([0, 1, 2]), 'req-2')
    assert.equal(event.isBase64Encoded, true)
    assert.equal(event.body, 'AAEC')
  })
})
