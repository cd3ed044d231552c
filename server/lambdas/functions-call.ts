import { IDEMPOTENCY_KEY_HEADER } from '../../contracts/routes.ts'
import { findFunction } from '../functions/registry.ts'
import { runCall, runIdempotentCall } from '../functions/run-call.ts'
import { BadRequestError, ForbiddenError, NotFoundError } from '../lib/errors.ts'
import { authenticate, header, jsonText, route } from '../lib/route.ts'

/** What an `Idempotency-Key` may be: 1 to 255 visible ASCII characters (a UUID, typically). */
const KEY = /^[\x21-\x7e]{1,255}$/

/**
 * `POST /functions/:name` with the input as JSON body → 200 `{ result }`.
 * 404 for an unknown name, 401 without a token (unless `auth: false`), 422
 * when `input` refuses the body, 403 when `rules.call` says no; only then
 * does the handler run. A deployment routes each function to a Lambda of its
 * own (`RTKIT_FUNCTION` names it, and that Lambda serves no other).
 */
export const handler = route({ auth: false }, async (request) => {
  const { event } = request
  const name = request.params.name ?? decodeURIComponent(event.rawPath?.split('/').at(-1) ?? '')
  const only = process.env.RTKIT_FUNCTION
  const fn = only && only !== name ? undefined : findFunction(name)
  if (!fn) throw new NotFoundError(`unknown function "${name}"`)
  const token = fn.auth || header(event, 'authorization') !== undefined ? await authenticate(event) : undefined
  const user = token?.principal
  const input = await fn.validateInput(request.body)
  if (!fn.mayCall(user, input)) throw new ForbiddenError(`you may not call ${fn.name}`)

  const call = { fn, input, user, requestId: request.requestId, remainingMs: request.context?.getRemainingTimeInMillis?.() ?? 30_000 }
  const key = header(event, IDEMPOTENCY_KEY_HEADER)
  if (key === undefined) {
    const answer = await runCall(call)
    return jsonText(answer.status, answer.json)
  }
  if (!KEY.test(key)) throw new BadRequestError('Idempotency-Key must be 1 to 255 visible ASCII characters')
  const answer = await runIdempotentCall(call, key)
  return jsonText(answer.status, answer.json, answer.replayed ? { 'idempotent-replayed': 'true' } : {})
})
