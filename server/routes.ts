import type { LambdaHandler } from './lib/route.ts'

/**
 * The one route table: the local gateway serves it, and a deployment template
 * maps the same route keys to the same handler modules.
 */
export interface RouteEntry {
  /** API Gateway HTTP API route key, e.g. `PATCH /collections/{name}/{id}`. */
  routeKey: string
  /** Handler module under `server/lambdas/`, without extension. */
  handler: HandlerName
}

export const handlerModules = {
  'auth-register': () => import('./lambdas/auth-register.ts'),
  'auth-login': () => import('./lambdas/auth-login.ts'),
  'auth-me': () => import('./lambdas/auth-me.ts'),
  'auth-logout': () => import('./lambdas/auth-logout.ts'),
  'users-profiles': () => import('./lambdas/users-profiles.ts'),
  'collections-schema': () => import('./lambdas/collections-schema.ts'),
  'collections-list': () => import('./lambdas/collections-list.ts'),
  'collections-create': () => import('./lambdas/collections-create.ts'),
  'collections-update': () => import('./lambdas/collections-update.ts'),
  'collections-remove': () => import('./lambdas/collections-remove.ts'),
  'functions-call': () => import('./lambdas/functions-call.ts'),
} satisfies Record<string, () => Promise<{ handler: LambdaHandler }>>

export type HandlerName = keyof typeof handlerModules

export const routeTable: readonly RouteEntry[] = [
  { routeKey: 'POST /auth/register', handler: 'auth-register' },
  { routeKey: 'POST /auth/login', handler: 'auth-login' },
  { routeKey: 'GET /auth/me', handler: 'auth-me' },
  { routeKey: 'POST /auth/logout', handler: 'auth-logout' },
  { routeKey: 'GET /users', handler: 'users-profiles' },
  { routeKey: 'GET /collections', handler: 'collections-schema' },
  { routeKey: 'GET /collections/{name}', handler: 'collections-list' },
  { routeKey: 'POST /collections/{name}', handler: 'collections-create' },
  { routeKey: 'PATCH /collections/{name}/{id}', handler: 'collections-update' },
  { routeKey: 'DELETE /collections/{name}/{id}', handler: 'collections-remove' },
  // An operator's functions; a deployment also routes each declared one to a Lambda of its own (deploy/http-api.ts).
  { routeKey: 'POST /functions/{name}', handler: 'functions-call' },
]
