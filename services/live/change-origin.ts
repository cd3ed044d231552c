// Its own module, not in changes.ts: the public boundary exports it, and a signed-out page
// should not load the diffing that only live queries (the signed-in half) run.

/** Whose write a change is: this kit's own command, or anyone else's (another user, another tab). */
export const ChangeOrigin = { local: 'local', remote: 'remote' } as const
export type ChangeOrigin = (typeof ChangeOrigin)[keyof typeof ChangeOrigin]
