export type { Doc, DocMeta, UserProfile, Page, Session } from './documents.ts'
export type { Task, TaskFields, Message, MessageFields } from './descriptors.ts'
export {
  TaskStatus,
  TASK_STATUSES,
  tasksCollection,
  messagesCollection,
  descriptors,
  compareTasks,
  compareMessages,
} from './descriptors.ts'
export type { CollectionDescriptor, AnyDescriptor, FieldsOf } from './descriptor.ts'
export { describeCollection } from './descriptor.ts'
export type { ErrorBody, FieldIssue } from './errors.ts'
export { ErrorCode, STATUS_OF, MAX_BODY_BYTES } from './errors.ts'
export { backoffDelay, DEFAULT_BACKOFF } from './backoff.ts'
export type { BackoffPolicy } from './backoff.ts'
export type { Principal } from './principal.ts'
export { Role, HOST_USER_PREFIX, hostUserId } from './principal.ts'
export type { ChangeEvent, ResyncEvent, RealtimeClientData, SessionRefresh } from './realtime.ts'
export type { ListQuery, PublicCollection, CollectionsAnswer, FunctionAnswer } from './routes.ts'
export { paths, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_WINDOW_MS } from './routes.ts'
export { storedText } from './stored-text.ts'
