import { parseArgs } from 'node:util'
import manifest from '../../package.json' with { type: 'json' }

/**
 * The server's command line: `rtkit-server [--config <file>]`, `--help`,
 * `--version`. Everything else is configured by `RTKIT_*` variables. An
 * unknown flag or a stray argument prints the usage to stderr and exits 2,
 * as operators' tools do, instead of starting a server that ignores it.
 */
export const USAGE = `Usage: rtkit-server [--config <file>]

Starts the rtkit server: the API, deepstream and the changefeed bridge
(the parts RTKIT_ROLE names), on the embedded database unless
RTKIT_RETHINKDB_URL is set. Configured by RTKIT_* environment variables.

Options:
  --config <file>  the config module declaring the collections (default:
                   rtkit.config.mjs, .js or .ts in this folder; RTKIT_CONFIG)
  --help           print this and exit
  --version        print the version and exit
`

export interface ServerArguments {
  /** The config module named on the command line, if any. */
  config: string | undefined
}

/** Reads `argv` (without node and the script); prints and exits for --help, --version and mistakes. */
export function readServerArguments(argv: readonly string[], usage = USAGE): ServerArguments {
  let values: { config?: string; help?: boolean; version?: boolean }
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      options: { config: { type: 'string' }, help: { type: 'boolean' }, version: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }))
  } catch (error) {
    process.stderr.write(`rtkit-server: ${(error as Error).message}\n\n${usage}`)
    process.exit(2)
  }
  if (values.help) {
    process.stdout.write(usage)
    process.exit(0)
  }
  if (values.version) {
    process.stdout.write(`${manifest.version}\n`)
    process.exit(0)
  }
  return { config: values.config }
}
