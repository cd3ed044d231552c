import { RtTaskBoard } from './task-board.component.ts'
import { registerVersion } from '../internal/versions.ts'

// The class and every public type of the tag; `components/index.ts` re-exports this file whole.
export * from './task-board.component.ts'

// Guarded: a second copy of rtkit on the page (another bundle) reuses the first definition,
// and one of another version says so once (registerVersion).
registerVersion()
if (!customElements.get('rt-task-board')) customElements.define('rt-task-board', RtTaskBoard)

declare global {
  interface HTMLElementTagNameMap {
    'rt-task-board': RtTaskBoard
  }
}
