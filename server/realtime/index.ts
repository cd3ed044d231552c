export { startRealtime, RealtimeStartError, GOING_AWAY, type RealtimeOptions, type RealtimeServer } from './realtime-server.ts'
export { JwtAuthentication, type RealtimeAuthData } from './jwt-authentication.ts'
export { CollectionPermission } from './collection-permission.ts'
export { mayPerform, RealtimeAction } from './access-rules.ts'
