// React 18 sets only attributes on custom elements and drops their events:
// the `rtkit/react` wrappers (made with @lit/react) set properties and
// listen to events (`onTaskAdd`, …). `tsc` checks this file and misuse.tsx.
import { StrictMode, useState, version } from 'react'
import { createRoot } from 'react-dom/client'
import { RtLogin, RtPresence, RtProvider, RtTaskBoard } from 'rtkit/react'

const params = new URLSearchParams(location.search)

function App() {
  const [log, setLog] = useState<string[]>([])
  const add = (line: string) => setLog((lines) => [...lines, line])
  return (
    <>
      <p id="version">{version}</p>
      <RtProvider apiUrl={params.get('api') ?? '/api'} realtimeUrl={params.get('realtime') ?? '/deepstream'}>
        <RtLogin onLogin={(event) => add(`signed in ${event.detail.user.name}`)} />
        <RtPresence max={5} />
        <RtTaskBoard
          board={params.get('board') ?? 'consumers'}
          onTaskAdd={(event) => add(`added ${event.detail.title}`)}
          onTaskChange={(event) => add(`${event.detail.origin} ${event.detail.op} ${event.detail.doc?.title ?? ''}`)}
          onCommandConfirm={(event) => add(`confirmed ${event.detail.type}`)}
        />
      </RtProvider>
      <ol id="log">
        {log.map((line, index) => (
          <li key={index}>{line}</li>
        ))}
      </ol>
    </>
  )
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
