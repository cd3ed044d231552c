import config from 'rtkit:operator-config'
import { compileFunctions } from '../functions/compile-functions.ts'
import { useFunctions } from '../functions/registry.ts'
import { compileConfig } from './compile.ts'
import { useCollections } from './registry.ts'

/**
 * Put first in every Lambda bundle built with an operator's config module
 * (`scripts/build-lambdas.ts` resolves `rtkit:operator-config` to it): a
 * handler then serves the collections and functions that config declares, checked the same
 * way as at a server's start. A Lambda has no working folder to look in,
 * so the config is inside the bundle.
 */
useCollections(compileConfig(config, 'the config bundled into this handler'))
useFunctions(compileFunctions(config, 'the config bundled into this handler'))
