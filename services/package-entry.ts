/**
 * `rtkit/services`: everything `index.ts` exports, plus the deepstream
 * gateway, for a kit on your own `RealtimeGateway` options
 * (`createKit(options, { realtime: new DeepstreamGateway({ url, maxReconnectInterval }) })`),
 * and `HostTokenError` (what a failing auth endpoint throws).
 *
 * They are not in `index.ts`, which the components import: the kit
 * uses them in its signed-in half (`signed-in.ts`, loaded on sign-in), and a
 * bundler that splits by file (esbuild) puts every module an import reaches
 * into the first load, so a re-export there would bring them to
 * signed-out pages.
 *
 * @example
 * import { createKit, DeepstreamGateway } from 'rtkit/services'
 */
export * from './index.ts'
export type { DeepstreamGatewayOptions } from './gateways/deepstream-gateway.ts'
export { DeepstreamGateway } from './gateways/deepstream-gateway.ts'
export { HostTokenError } from './auth/host-token.ts'
