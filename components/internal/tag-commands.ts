import type { ReactiveController, ReactiveControllerHost } from 'lit'
import type { CommandReceipt, Kit, KitError } from '../../services/index.ts'
import type { LocalizeController } from '../i18n/localize.ts'
import { applyAgain } from './apply-again.ts'
import { reportOutcome, type PartitionDetail } from './command-events.ts'
import type { ErrorAction } from './error-list.ts'

/**
 * What a tag's commands share (the board's `TaskCommands`, the chat's
 * `ChatCommands`): the facade, the page's language, the confirm and reject
 * events of the partition the tag shows, and "Apply again" beside a
 * conflicting change.
 */
export abstract class TagCommands<Host extends ReactiveControllerHost & HTMLElement> implements ReactiveController {
  protected readonly host: Host
  protected readonly kit: () => Kit | undefined
  protected readonly localize: LocalizeController

  constructor(host: Host, kit: () => Kit | undefined, localize: LocalizeController) {
    this.host = host
    this.kit = kit
    this.localize = localize
    host.addController(this)
  }

  hostConnected(): void {}

  /** The partition the tag shows, as its command events carry it: `{ board }`, `{ room }`. */
  protected abstract partition(): PartitionDetail

  /** "Apply again" beside a conflicting change: the same change, on the server's newer version. */
  errorAction(error: KitError): ErrorAction | undefined {
    const kit = this.kit()
    return kit ? applyAgain(kit, error, (receipt) => this.report(receipt), this.localize.term('applyAgain')) : undefined
  }

  /** Dispatches `rt-command-confirm` / `rt-command-reject` once the command settles. */
  protected report(receipt: CommandReceipt): CommandReceipt {
    reportOutcome(this.host, receipt, this.partition())
    return receipt
  }
}
