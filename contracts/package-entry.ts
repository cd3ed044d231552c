// rtkit/contracts: what index.ts exports, and what only the kit's signed-in half uses on the client
// (LruCache, the realtime topics, compareByFields). Client code imports those from their own modules, so
// the index (which every page's components import) does not bring them to a signed-out page.
export * from './index.ts'
export { LruCache } from './lru-cache.ts'
export { topicFor, parseTopic, RESYNC_TOPIC, SESSION_TOPIC } from './realtime.ts'
export { compareByFields } from './compare-by-fields.ts'
