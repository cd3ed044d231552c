/**
 * Who signed a token: rtkit itself (its accounts, the bridge) or the
 * embedding host's backend. A module of its own so that code comparing
 * sources (the session checks, `GET /auth/me`) does not load `tokens.ts`
 * and jsonwebtoken with it: a Lambda loads those when a request first
 * carries a token (`route.ts`).
 */
export const TokenSource = { rtkit: 'rtkit', host: 'host' } as const
export type TokenSource = (typeof TokenSource)[keyof typeof TokenSource]
