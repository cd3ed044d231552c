export type { Kit, KitOptions, LiveQuery, CollectionRef, InsertOptions, WriteOptions } from './kit.ts'
export { tasksOf } from './collections/tasks.ts'
export type { NewTask, TaskMove, TaskShortcuts } from './collections/tasks.ts'
export { messagesOf } from './collections/messages.ts'
export type { MessageShortcuts } from './collections/messages.ts'
export { QueryStatus } from './kit.ts'
export type { KitDependencies } from './create-kit.ts'
export type { KitServices, ServiceContext, ServiceFactory } from './custom-services.ts'
export { createKit } from './create-kit.ts'
export { isKit, KIT_BRAND } from './kit-brand.ts'
export type { AuthEndpoint } from './auth/host-token.ts'
export { HostManagedSessionError } from './effects/session-effects.ts'
export type { LiveDoc } from './live/live-doc.ts'
export type { DocChange, DocDiff } from './live/changes.ts'
export { ChangeOrigin } from './live/change-origin.ts'
export { compareTasks, compareMessages } from '../contracts/index.ts'
export type { Command, InsertCommand, UpdateCommand, RemoveCommand, CallCommand, PendingCommand } from './commands/command.ts'
export { CommandOp, PendingState } from './commands/command.ts'
export { CommandType } from './commands/command-types.ts'
export type { CommandReceipt, CommandOutcome } from './commands/receipt.ts'
export type { KitError } from './state/kit-error.ts'
export type { SessionView } from './state/session-status.ts'
export { SessionStatus } from './state/session-status.ts'
export { ConnectionStatus } from './gateways/connection-status.ts'
export type { HttpGateway, PartitionRef, Removed } from './gateways/http-gateway.ts'
export type { FetchHttpGatewayOptions } from './gateways/fetch-http-gateway.ts'
export { FetchHttpGateway } from './gateways/fetch-http-gateway.ts'
export type { RealtimeGateway } from './gateways/realtime-gateway.ts'
export type { RetryPolicy } from './gateways/retry-policy.ts'
export { DEFAULT_RETRY_POLICY } from './gateways/retry-policy.ts'
export {
  HttpError,
  BadRequestError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  ConflictError,
  ValidationError,
  PayloadTooLargeError,
  ServerError,
  NetworkError,
  TimeoutError,
} from './gateways/http-errors.ts'
export type { KeyValueStorage } from './storage/key-value-storage.ts'
export { MemoryStorage } from './storage/memory-storage.ts'
export { WebStorage } from './storage/web-storage.ts'
