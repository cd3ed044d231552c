// Each line must fail the type check (an unused @ts-expect-error fails it).
import { RtChat, RtTaskBoard } from 'rtkit/react'

// @ts-expect-error board is a string
export const badProperty = <RtTaskBoard board={42} />
// @ts-expect-error a task-add detail has no such field
export const badDetail = <RtTaskBoard onTaskAdd={(event) => event.detail.nope} />
// @ts-expect-error the chat has no task events
export const otherTagsEvent = <RtChat onTaskAdd={() => undefined} />
