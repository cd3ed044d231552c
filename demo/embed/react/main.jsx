// React 19 renders custom elements natively: it sets properties the element
// defines (so `board` and `kit` are properties, not stringified attributes)
// and adds listeners for `on<event-name>` props on custom elements.
// Served by the demo server (`npm start`) at /embed/react/.
import { useState } from 'react'
import { createRoot } from 'react-dom/client'
import { configure } from '../../../components/index.ts'

// One facade for the whole page; every tag below picks it up.
configure({ apiUrl: '/api', realtimeUrl: '/deepstream' })

function App() {
  const [board, setBoard] = useState('launch')
  const [log, setLog] = useState([])
  const remember = (event) => setLog((entries) => [`${event.type}: ${JSON.stringify(event.detail)}`, ...entries].slice(0, 5))
  return (
    <main>
      <h1>rtkit in React 19</h1>
      <rt-login onrt-login={remember} onrt-logout={remember}></rt-login>
      <rt-connection-status></rt-connection-status>
      <label>
        Board{' '}
        <select value={board} onChange={(event) => setBoard(event.target.value)}>
          <option value="launch">launch</option>
          <option value="backlog">backlog</option>
        </select>
      </label>
      <rt-task-board board={board} onrt-task-add={remember} onrt-task-move={remember}></rt-task-board>
      <rt-chat room="lobby" onrt-message-send={remember}></rt-chat>
      <ul>
        {log.map((entry, index) => (
          <li key={index}>{entry}</li>
        ))}
      </ul>
    </main>
  )
}

createRoot(document.getElementById('root')).render(<App />)
