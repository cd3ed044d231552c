// Its own module, not in host-token.ts: the kit exports it to every page, and only the signed-in half asks for tokens.

/** The host's endpoint answered something other than a token or a sign-out. */
export class HostTokenError extends Error {
  override name = 'HostTokenError'
}
