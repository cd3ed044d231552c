// Each line must fail the type check (`tsc -b` fails on an unused
// expect-error directive, so a loosely typed rtkit/jsx fails the test).
import type {} from 'rtkit/jsx'

// @ts-expect-error board is a string
export const badProperty = <rt-task-board board={42} />
// @ts-expect-error a task-add detail has no such field
export const badDetail = <rt-task-board onrt-task-add={(event) => event.detail.nope} />
// @ts-expect-error the command type is 'insert' | 'update' | 'remove'
export const badType = <rt-chat onrt-command-confirm={(event) => event.detail.type === '[Messages] Send Message'} />
// @ts-expect-error no such tag
export const unknownTag = <rt-nope />
