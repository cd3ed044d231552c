export { startBridge, BridgeStartError, type Bridge, type BridgeOptions } from './bridge.ts'
export { publicationsFor, MalformedChangeError, type Publication, type TableChange } from './change-events.ts'
export { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from '../../contracts/backoff.ts'
