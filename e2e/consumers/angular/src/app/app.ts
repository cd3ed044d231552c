// The README's Angular recipe: CUSTOM_ELEMENTS_SCHEMA, the tags imported
// once, properties bound with […] and events with (…).
import 'rtkit'
import { Component, CUSTOM_ELEMENTS_SCHEMA, signal, VERSION } from '@angular/core'

const params = new URLSearchParams(location.search)

@Component({
  selector: 'app-root',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <p id="version">{{ version }}</p>
    <rt-provider [apiUrl]="api" [realtimeUrl]="realtime">
      <rt-login (rt-login)="onLogin($event)"></rt-login>
      <rt-task-board
        [board]="board"
        (rt-task-add)="onTaskAdd($event)"
        (rt-task-change)="onTaskChange($event)"
        (rt-command-confirm)="onConfirm($event)"
      ></rt-task-board>
    </rt-provider>
    <ol id="log">
      @for (line of log(); track $index) {
        <li>{{ line }}</li>
      }
    </ol>
  `,
})
export class App {
  readonly version = VERSION.full
  readonly api = params.get('api') ?? '/api'
  readonly realtime = params.get('realtime') ?? '/deepstream'
  readonly board = params.get('board') ?? 'consumers'
  readonly log = signal<string[]>([])

  private add(line: string): void {
    this.log.update((lines) => [...lines, line])
  }

  onLogin(event: Event): void {
    this.add(`signed in ${(event as HTMLElementEventMap['rt-login']).detail.user.name}`)
  }

  onTaskAdd(event: Event): void {
    this.add(`added ${(event as HTMLElementEventMap['rt-task-add']).detail.title}`)
  }

  onTaskChange(event: Event): void {
    const { detail } = event as HTMLElementEventMap['rt-task-change']
    this.add(`${detail.origin} ${detail.op} ${detail.doc?.title ?? ''}`)
  }

  onConfirm(event: Event): void {
    this.add(`confirmed ${(event as HTMLElementEventMap['rt-command-confirm']).detail.type}`)
  }
}
