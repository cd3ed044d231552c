import { createRequire } from 'node:module'
import type { AddressInfo, Server } from 'node:net'
import type { Deepstream } from '@deepstream/server'
import { LOG_LEVEL } from '@deepstream/types'
import { deepstreamConfig } from '../server/realtime/deepstream-config.ts'

const require = createRequire(import.meta.url)

/** A plain deepstream with the same endpoint settings and no rtkit plugins. */
export async function startPlainDeepstream(): Promise<{ url: string; close(): Promise<void> }> {
  const { Deepstream } = require('@deepstream/server') as { Deepstream: new (config: unknown) => Deepstream }
  const server = new Deepstream(deepstreamConfig({ host: '127.0.0.1', port: 0, path: '/deepstream', logLevel: LOG_LEVEL.WARN }))
  server.set('httpServer.options.port', 0)
  server.set('subscriptions.options.subscriptionsSanityTimer', 0)
  await new Promise<void>((resolve) => {
    server.once('started', () => resolve())
    server.start()
  })
  const address = (server.getServices().httpService as unknown as { server: Server }).server.address() as AddressInfo
  return {
    url: `ws://127.0.0.1:${address.port}/deepstream`,
    close: () => new Promise((resolve) => (server.once('stopped', () => resolve()), server.stop())),
  }
}
