import { createContext } from '@lit/context'
import type { Kit } from '../../services/index.ts'

/**
 * The `@lit/context` key that carries the facade from `<rt-provider>` to the
 * tags below it. A `Symbol.for` key, so tags from separately loaded bundles
 * (each with its own copy of this module) still find each other's provider.
 */
export const kitContext = createContext<Kit | undefined>(Symbol.for('rtkit.kit'))
