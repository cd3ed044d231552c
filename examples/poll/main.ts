// The page's script: the kit for the server's URLs with the poll's own service, a sign-in form, the connection status, and the widget.
import { configure } from 'rtkit/configure'
import 'rtkit/rt-connection-status'
import 'rtkit/rt-login'
import { PollService } from './poll-service.ts'
import './poll-widget.ts'

const api = new URLSearchParams(location.search).get('api') ?? 'http://127.0.0.1:3000'
const realtime = new URLSearchParams(location.search).get('realtime') ?? 'ws://127.0.0.1:6020/deepstream'
configure({ apiUrl: api, realtimeUrl: realtime, services: { polls: (ctx) => new PollService(ctx) } })
