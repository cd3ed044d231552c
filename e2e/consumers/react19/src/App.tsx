// React 19 sets the tags' properties and listens to their events natively;
// `rtkit/jsx` tells TypeScript about every tag (`tsc -b` checks this file).
import type {} from 'rtkit/jsx'
import 'rtkit'
import { useState, version } from 'react'

const params = new URLSearchParams(location.search)

export default function App() {
  const [log, setLog] = useState<string[]>([])
  const add = (line: string) => setLog((lines) => [...lines, line])
  return (
    <>
      <p id="version">{version}</p>
      <rt-provider apiUrl={params.get('api') ?? '/api'} realtimeUrl={params.get('realtime') ?? '/deepstream'}>
        <rt-login onrt-login={(event) => add(`signed in ${event.detail.user.name}`)} />
        <rt-presence max={5} />
        <rt-task-board
          board={params.get('board') ?? 'consumers'}
          virtualizeThreshold={100}
          onrt-task-add={(event) => add(`added ${event.detail.title}`)}
          onrt-task-change={(event) => add(`${event.detail.origin} ${event.detail.op} ${event.detail.doc?.title ?? ''}`)}
          onrt-command-confirm={(event) => add(`confirmed ${event.detail.type}`)}
        />
      </rt-provider>
      <ol id="log">
        {log.map((line, index) => (
          <li key={index}>{line}</li>
        ))}
      </ol>
    </>
  )
}
