import { parseArgs, type ParseArgsConfig } from 'node:util'
import manifest from '../../package.json' with { type: 'json' }

/**
 * The server's command line: `rtkit-server [--config <file>]` serves; the
 * operator's commands (`export`, `import`, `users …`) do one job against
 * the same database and exit. Everything else is configured by `RTKIT_*`
 * variables. `--help` prints the usage (of a command, after its name),
 * `--version` the version. An unknown command or flag, a missing or stray
 * argument prints the usage to stderr and exits 2, as operators' tools do,
 * instead of starting a server that ignores it.
 */
export const USAGE = `Usage: rtkit-server [--config <file>]
       rtkit-server <command> [options]

Starts the rtkit server: the API, deepstream and the changefeed bridge
(the parts RTKIT_ROLE names), on the embedded database unless
RTKIT_RETHINKDB_URL is set. Configured by RTKIT_* environment variables.

Commands (rtkit-server <command> --help for each):
  export --out <file>        write every collection, the users and the revocations as NDJSON
  import <file> [--force]    restore an export into an empty database
  users list|add|set-password|disable|revoke
                             manage the accounts (passwords on standard input)

Options:
  --config <file>  the config module declaring the collections (default:
                   rtkit.config.mjs, .js or .ts in this folder; RTKIT_CONFIG)
  --help           print this and exit
  --version        print the version and exit
`

const WHERE = `The database: RTKIT_RETHINKDB_URL when set; otherwise the embedded
database's folder RTKIT_DATA_DIR (default .rtkit/data), reached through the
running server when one holds it, opened here when none does.
  --config <file>  the config module declaring the collections (RTKIT_CONFIG)
  --help           print this and exit
`

export const EXPORT_USAGE = `Usage: rtkit-server export --out <file> [--include-secrets] [--config <file>]

Writes a snapshot of every declared collection (documents, versions and
tombstones), the users and the revocations to <file>, as NDJSON: a header
line, then one line per row, sorted by table and id. The file is written
next to <file> and renamed into place, owner-only.

  --out <file>          where to write the export
  --include-secrets     keep the users' password hashes (without it, imported
                        users need \`rtkit-server users set-password\`)
${WHERE}`

export const IMPORT_USAGE = `Usage: rtkit-server import <file> [--force] [--config <file>]

Restores an export made by \`rtkit-server export\`. Every line is checked
first (format, version, collections the config declares, each row's shape);
on a malformed or foreign file it names the line and writes nothing.

  --force          replace what the database holds (without it, a database
                   with any collection row, user or revocation is refused)
${WHERE}`

export const USERS_USAGE = `Usage: rtkit-server users list
       rtkit-server users add <name> [--display-name <text>]
       rtkit-server users set-password <name>
       rtkit-server users disable <name>
       rtkit-server users revoke <name>

Manages rtkit's own accounts. A password is read from standard input (one
line, the rules of registration: 8 to 128 characters), never from an argument.
  list           one line per account: username, state, id, display name
  add            creates the account (display name: the username unless given)
  set-password   sets a new password and ends the account's sessions
  disable        blocks sign-in and ends the account's sessions
  revoke         ends every token and realtime socket of the account at once
${WHERE}`

export const UserAction = {
  list: 'list',
  add: 'add',
  setPassword: 'set-password',
  disable: 'disable',
  revoke: 'revoke',
} as const
export type UserAction = (typeof UserAction)[keyof typeof UserAction]
const USER_ACTIONS: readonly string[] = Object.values(UserAction)

/** What the command line asks for. */
export type ServerCommand =
  | { command: 'serve'; config: string | undefined }
  | { command: 'export'; config: string | undefined; out: string; includeSecrets: boolean }
  | { command: 'import'; config: string | undefined; file: string; force: boolean }
  | { command: 'users'; config: string | undefined; action: UserAction; name: string | undefined; displayName: string | undefined }

/** Kept for the serving entry's callers: `rtkit-server [--config <file>]`. */
export interface ServerArguments {
  /** The config module named on the command line, if any. */
  config: string | undefined
}

function refuse(message: string, usage: string): never {
  process.stderr.write(`rtkit-server: ${message}\n\n${usage}`)
  process.exit(2)
}

type Options = NonNullable<ParseArgsConfig['options']>
const COMMON: Options = { config: { type: 'string' }, help: { type: 'boolean' } }

function parse(argv: readonly string[], options: Options, usage: string) {
  try {
    const parsed = parseArgs({ args: [...argv], options: { ...COMMON, ...options }, strict: true, allowPositionals: true })
    if (parsed.values.help) {
      process.stdout.write(usage)
      process.exit(0)
    }
    return parsed as { values: Record<string, string | boolean | undefined>; positionals: string[] }
  } catch (error) {
    // parseArgs's own text for an unknown option goes on about positionals: name the option, and where settings live.
    const unknown = /^Unknown option '([^']+)'/.exec((error as Error).message)
    refuse(
      unknown ? `unknown option ${unknown[1]} (ports, hosts and the rest are RTKIT_* variables: see --help)` : (error as Error).message,
      usage,
    )
  }
}

const text = (value: string | boolean | undefined) => (typeof value === 'string' ? value : undefined)

/** Reads `argv` (without node and the script); prints and exits for --help, --version and mistakes. */
export function readCommand(argv: readonly string[]): ServerCommand {
  const [first, ...rest] = argv
  if (first === 'export') {
    const { values, positionals } = parse(rest, { out: { type: 'string' }, 'include-secrets': { type: 'boolean' } }, EXPORT_USAGE)
    if (positionals.length > 0) refuse(`unexpected argument '${positionals[0]}'`, EXPORT_USAGE)
    const out = text(values.out)
    if (!out) refuse('export needs --out <file>', EXPORT_USAGE)
    return { command: 'export', config: text(values.config), out, includeSecrets: values['include-secrets'] === true }
  }
  if (first === 'import') {
    const { values, positionals } = parse(rest, { force: { type: 'boolean' } }, IMPORT_USAGE)
    if (positionals.length !== 1) refuse('import needs one file', IMPORT_USAGE)
    return { command: 'import', config: text(values.config), file: positionals[0]!, force: values.force === true }
  }
  if (first === 'users') {
    const { values, positionals } = parse(rest, { 'display-name': { type: 'string' } }, USERS_USAGE)
    const [action, name, ...extra] = positionals
    if (!action || !USER_ACTIONS.includes(action))
      refuse(action ? `unknown users command '${action}'` : 'users needs a command', USERS_USAGE)
    if (action === UserAction.list ? name !== undefined : name === undefined || extra.length > 0) {
      refuse(action === UserAction.list ? 'users list takes no name' : `users ${action} needs one name`, USERS_USAGE)
    }
    const displayName = text(values['display-name'])
    if (displayName !== undefined && action !== UserAction.add) refuse('--display-name goes with users add', USERS_USAGE)
    return { command: 'users', config: text(values.config), action: action as UserAction, name, displayName }
  }
  if (first !== undefined && !first.startsWith('-')) refuse(`unknown command '${first}'`, USAGE)
  return { command: 'serve', ...readServerArguments(argv) }
}

/** Reads the serving command line, `[--config <file>]` (`scripts/start.ts` serves only; it passes its own usage). */
export function readServerArguments(argv: readonly string[], usage = USAGE): ServerArguments {
  const { values, positionals } = parse(argv, { version: { type: 'boolean' } }, usage)
  if (positionals.length > 0) refuse(`unexpected argument '${positionals[0]}'`, usage)
  if (values.version) {
    process.stdout.write(`${manifest.version}\n`)
    process.exit(0)
  }
  return { config: text(values.config) }
}
