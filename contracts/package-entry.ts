// rtkit/contracts: what index.ts exports, and LruCache. Client code imports LruCache from its own
// module, so the index (which every page's components import) does not bring it to a signed-out page.
export * from './index.ts'
export { LruCache } from './lru-cache.ts'
