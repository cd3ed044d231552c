import type { LOG_LEVEL, PartialDeepstreamConfig } from '@deepstream/types'

/** What the realtime server needs to know to build its deepstream config. */
export interface DeepstreamSettings {
  host: string
  port: number
  /** WebSocket path, e.g. `/deepstream`. */
  path: string
  /** `LOG_LEVEL.WARN` keeps the server quiet. */
  logLevel: LOG_LEVEL
  /** This node's name in a cluster; unique per node, since deepstream ignores bus messages from its own name. */
  serverName?: string
  /** Clustered over a bus (Redis): nodes announce themselves every second. */
  clustered?: boolean
}

/**
 * The deepstream configuration, as an object (no YAML). Only what rtkit uses
 * is on: the binary WebSocket endpoint, events and presence. The HTTP, MQTT
 * and text/JSON WebSocket endpoints, records, RPC, monitoring and telemetry
 * are off. Authentication and permissions are rtkit's own plugins, set on
 * the server after construction (see `startRealtime`), because they take the
 * JWT keys through their constructors.
 */
export function deepstreamConfig(settings: DeepstreamSettings): PartialDeepstreamConfig {
  return {
    serverName: settings.serverName ?? 'rtkit-realtime',
    showLogo: false,
    logLevel: settings.logLevel,
    logger: { type: 'default', options: { logLevel: settings.logLevel, colors: false } },
    exitOnFatalError: false,
    connectionEndpoints: [
      {
        type: 'ws-binary',
        options: {
          urlPath: settings.path,
          // A client must log in soon after connecting; a token is at hand.
          unauthenticatedClientTimeout: 10_000,
          maxAuthAttempts: 3,
          logInvalidAuthData: false,
          maxMessageSize: 1_048_576,
        },
      },
    ],
    httpServer: {
      type: 'default',
      options: {
        host: settings.host,
        // The validator wants a port ≥ 1; `startRealtime` sets the real one
        // (0 included) through `server.set` before starting.
        port: settings.port || 1,
        healthCheckPath: '/health-check',
        allowAllOrigins: true,
      },
    },
    enabledFeatures: { record: false, event: true, rpc: false, presence: true, monitoring: false },
    telemetry: { type: 'deepstreamIO', options: { enabled: false } },
    monitoring: { type: 'none', options: {} },
    // Every second rather than every 5: a restarted node learns the others'
    // users at once, and a dead node's users leave presence within 4 s.
    ...(settings.clustered
      ? {
          clusterRegistry: {
            type: 'default',
            options: { keepAliveInterval: 1_000, activeCheckInterval: 1_000, nodeInactiveTimeout: 4_000 },
          },
        }
      : {}),
    // Placeholders, replaced by rtkit's plugins before start.
    auth: [{ type: 'none', options: {} }],
    permission: { type: 'none', options: {} },
  }
}
